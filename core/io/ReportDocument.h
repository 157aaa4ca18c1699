#pragma once

#include <string>
#include <vector>

namespace sw {

/// A tiny document model for generated reports, rendered once as Markdown and once as HTML (self-contained,
/// no scripts), so the two never disagree. Paragraphs and list items may use Markdown's **bold** and `code`.
struct ReportBlock {
    enum class Kind { Heading, Paragraph, List, Table, Figure } kind;
    std::string text;                            ///< heading or paragraph text, figure caption
    std::vector<std::string> items;              ///< list items, table header, or the figure's file
    std::vector<std::vector<std::string>> rows;  ///< table rows
    int level = 2;                               ///< heading level
};

/// A number with `decimals` digits after the point ("%.*f", so the same on every locale), or "—" when it is not
/// finite: how every report, CSV and manifest the core writes shows a measured value.
std::string fixedDecimals(double value, int decimals);

std::string renderMarkdown(const std::vector<ReportBlock>& blocks);
std::string renderHtml(const std::vector<ReportBlock>& blocks, const std::string& title);

}  // namespace sw
