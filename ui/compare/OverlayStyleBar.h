#pragma once

#include <QJsonObject>
#include <QWidget>

#include "compare/OverlayGrid.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSlider;

namespace sw::ui {

/// The compare grid's display controls: colormap, opacity, shared or per-cell scale, percentile clipping,
/// top-k % mask, absolute or signed attribution and transposition.
class OverlayStyleBar : public QWidget {
    Q_OBJECT
public:
    explicit OverlayStyleBar(QWidget* parent = nullptr);

    GridStyle style() const;
    bool signedAttribution() const;
    bool transposed() const;
    void setColormap(const QString& name);
    void setOpacity(double opacity);
    void setTransposed(bool transposed);
    /// The controls as saved with the workspace's view, and back.
    QJsonObject viewState() const;
    void restoreViewState(const QJsonObject& state);

Q_SIGNALS:
    void styleChanged(const sw::ui::GridStyle& style);      ///< redraw only
    void signedAttributionChanged(bool signedAttribution);  ///< VG/SmoothGrad must be recomputed
    void transposedChanged(bool transposed);

private:
    void emitStyle();

    QComboBox* m_colormap = nullptr;
    QComboBox* m_attribution = nullptr;
    QSlider* m_opacity = nullptr;
    QComboBox* m_scale = nullptr;
    QDoubleSpinBox* m_clipPercentile = nullptr;
    QDoubleSpinBox* m_topK = nullptr;
    QCheckBox* m_transpose = nullptr;
};

}  // namespace sw::ui
