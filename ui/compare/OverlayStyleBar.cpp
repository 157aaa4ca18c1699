#include "compare/OverlayStyleBar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>

#include "io/HeatmapStyle.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

OverlayStyleBar::OverlayStyleBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_attribution = new QComboBox;
    m_attribution->addItem(tr("|attribution|"), false);
    m_attribution->addItem(tr("signed"), true);
    m_attribution->setToolTip(tr("Absolute maps use a sequential colormap; signed maps the diverging blue–white–red one"));
    m_colormap = new QComboBox;
    m_colormap->setObjectName("colormap");
    for (const auto& name : sw::knownColormaps()) {
        if (name != sw::defaultColormap(true)) m_colormap->addItem(QString::fromStdString(name));
    }
    m_colormap->setCurrentText(QString::fromStdString(sw::defaultColormap(false)));  // as the command line's PNGs
    m_colormap->setToolTip(tr("Perceptually uniform colormap for |attribution|"));
    m_opacity = new QSlider(Qt::Horizontal);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(60);
    m_opacity->setMaximumWidth(110);
    m_opacity->setToolTip(tr("Opacity of the map over the image"));
    m_scale = new QComboBox;
    m_scale->setObjectName("scaleMode");
    m_scale->addItem(tr("per-cell scale"), false);
    m_scale->addItem(tr("shared scale"), true);
    m_scale->setToolTip(
        wrappedToolTip(tr("Shared: one colour scale per method across models, so brighter means larger. "
                          "Per cell: each map stretched to its own range")));
    m_clipPercentile = new QDoubleSpinBox;
    m_clipPercentile->setRange(50.0, 100.0);
    m_clipPercentile->setDecimals(1);
    m_clipPercentile->setValue(99.5);
    m_clipPercentile->setSuffix(tr(" pct"));
    m_clipPercentile->setToolTip(tr("The top of the colour scale is this percentile of |value|; larger values saturate"));
    m_topK = new QDoubleSpinBox;
    m_topK->setRange(1.0, 100.0);
    m_topK->setDecimals(0);
    m_topK->setValue(100.0);
    m_topK->setPrefix(tr("top "));
    m_topK->setSuffix(" %");
    m_topK->setToolTip(tr("Show only the k % of pixels with the largest |attribution|"));
    m_transpose = new QCheckBox(tr("Transpose"));
    m_transpose->setToolTip(tr("Models as columns and methods as rows (Ctrl+T)"));

    layout->addWidget(m_attribution);
    layout->addWidget(m_colormap);
    layout->addWidget(new QLabel(tr("Opacity")));
    layout->addWidget(m_opacity);
    layout->addWidget(m_scale);
    layout->addWidget(m_clipPercentile);
    layout->addWidget(m_topK);
    layout->addWidget(m_transpose);
    layout->addStretch();

    connect(m_colormap, &QComboBox::currentIndexChanged, this, &OverlayStyleBar::emitStyle);
    connect(m_opacity, &QSlider::valueChanged, this, &OverlayStyleBar::emitStyle);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &OverlayStyleBar::emitStyle);
    connect(m_clipPercentile, &QDoubleSpinBox::valueChanged, this, &OverlayStyleBar::emitStyle);
    connect(m_topK, &QDoubleSpinBox::valueChanged, this, &OverlayStyleBar::emitStyle);
    connect(m_attribution, &QComboBox::currentIndexChanged, this, [this] {
        m_colormap->setEnabled(!signedAttribution());
        Q_EMIT signedAttributionChanged(signedAttribution());
        emitStyle();
    });
    connect(m_transpose, &QCheckBox::toggled, this, &OverlayStyleBar::transposedChanged);
}

GridStyle OverlayStyleBar::style() const {
    GridStyle style;
    style.heatmap.colormap = signedAttribution() ? sw::defaultColormap(true) : m_colormap->currentText().toStdString();
    style.heatmap.opacity = m_opacity->value() / 100.0;
    style.heatmap.clipPercentile = m_clipPercentile->value();
    style.heatmap.topKPercent = m_topK->value();
    style.sharedScale = m_scale->currentData().toBool();
    return style;
}

bool OverlayStyleBar::signedAttribution() const { return m_attribution->currentData().toBool(); }
bool OverlayStyleBar::transposed() const { return m_transpose->isChecked(); }

void OverlayStyleBar::setColormap(const QString& name) {
    const int index = m_colormap->findText(name);
    if (index >= 0) m_colormap->setCurrentIndex(index);
}

void OverlayStyleBar::setOpacity(double opacity) { m_opacity->setValue(int(opacity * 100)); }

void OverlayStyleBar::setTransposed(bool transposed) { m_transpose->setChecked(transposed); }

void OverlayStyleBar::emitStyle() { Q_EMIT styleChanged(style()); }

QJsonObject OverlayStyleBar::viewState() const {
    return {{"attribution", signedAttribution() ? "signed" : "absolute"},
            {"colormap", m_colormap->currentText()},
            {"opacity", m_opacity->value() / 100.0},
            {"scale", m_scale->currentData().toBool() ? "shared" : "per-cell"},
            {"clip_percentile", m_clipPercentile->value()},
            {"top_k_percent", m_topK->value()},
            {"transposed", transposed()}};
}

void OverlayStyleBar::restoreViewState(const QJsonObject& state) {
    if (state.isEmpty()) return;
    m_attribution->setCurrentIndex(state.value("attribution").toString() == "signed" ? 1 : 0);
    setColormap(state.value("colormap").toString());
    setOpacity(state.value("opacity").toDouble(style().heatmap.opacity));
    m_scale->setCurrentIndex(state.value("scale").toString() == "shared" ? 1 : 0);
    m_clipPercentile->setValue(state.value("clip_percentile").toDouble(m_clipPercentile->value()));
    m_topK->setValue(state.value("top_k_percent").toDouble(m_topK->value()));
    setTransposed(state.value("transposed").toBool());
}

}  // namespace sw::ui
