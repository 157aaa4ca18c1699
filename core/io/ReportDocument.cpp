#include "io/ReportDocument.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>

namespace sw {

namespace {

std::string escapeHtml(const std::string& text) {
    std::string escaped;
    for (const char c : text) {
        if (c == '<')
            escaped += "&lt;";
        else if (c == '>')
            escaped += "&gt;";
        else if (c == '&')
            escaped += "&amp;";
        else
            escaped += c;
    }
    return escaped;
}

/// Escapes HTML, then turns Markdown's **bold** and `code` into tags.
std::string inlineHtml(const std::string& text) {
    std::string html = escapeHtml(text);
    for (const auto& [marker, open, close] : {std::tuple<std::string, std::string, std::string>{"**", "<b>", "</b>"},
                                              std::tuple<std::string, std::string, std::string>{"`", "<code>", "</code>"}}) {
        bool opening = true;
        for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at)) {
            html.replace(at, marker.size(), opening ? open : close);
            opening = !opening;
        }
    }
    return html;
}

}  // namespace

std::string renderMarkdown(const std::vector<ReportBlock>& blocks) {
    std::ostringstream out;
    for (const auto& block : blocks) {
        switch (block.kind) {
        case ReportBlock::Kind::Heading:
            out << std::string(size_t(block.level), '#') << ' ' << block.text << "\n\n";
            break;
        case ReportBlock::Kind::Paragraph:
            out << block.text << "\n\n";
            break;
        case ReportBlock::Kind::List:
            for (const auto& item : block.items) out << "- " << item << '\n';
            out << '\n';
            break;
        case ReportBlock::Kind::Table: {
            out << '|';
            for (const auto& cell : block.items) out << ' ' << cell << " |";
            out << "\n|";
            for (size_t i = 0; i < block.items.size(); ++i) out << "---|";
            out << '\n';
            for (const auto& row : block.rows) {
                out << '|';
                for (const auto& cell : row) out << ' ' << cell << " |";
                out << '\n';
            }
            out << '\n';
            break;
        }
        case ReportBlock::Kind::Figure:
            out << "![" << block.text << "](" << block.items.at(0) << ")\n\n*" << block.text << "*\n\n";
            break;
        }
    }
    return out.str();
}

std::string fixedDecimals(double value, int decimals) {
    if (!std::isfinite(value)) return "—";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string renderHtml(const std::vector<ReportBlock>& blocks, const std::string& title) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << escapeHtml(title) << "</title>\n"
        << "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45}"
           "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
           "td:first-child,th:first-child{text-align:left}img{max-width:100%}figcaption{font-style:italic}</style>\n"
        << "</head><body>\n";
    for (const auto& block : blocks) {
        switch (block.kind) {
        case ReportBlock::Kind::Heading:
            out << "<h" << block.level << '>' << escapeHtml(block.text) << "</h" << block.level << ">\n";
            break;
        case ReportBlock::Kind::Paragraph:
            out << "<p>" << inlineHtml(block.text) << "</p>\n";
            break;
        case ReportBlock::Kind::List:
            out << "<ul>\n";
            for (const auto& item : block.items) out << "<li>" << inlineHtml(item) << "</li>\n";
            out << "</ul>\n";
            break;
        case ReportBlock::Kind::Table:
            out << "<table>\n<tr>";
            for (const auto& cell : block.items) out << "<th>" << escapeHtml(cell) << "</th>";
            out << "</tr>\n";
            for (const auto& row : block.rows) {
                out << "<tr>";
                for (const auto& cell : row) out << "<td>" << escapeHtml(cell) << "</td>";
                out << "</tr>\n";
            }
            out << "</table>\n";
            break;
        case ReportBlock::Kind::Figure:
            out << "<figure><img src=\"" << block.items.at(0) << "\" alt=\"" << escapeHtml(block.text) << "\"><figcaption>"
                << escapeHtml(block.text) << "</figcaption></figure>\n";
            break;
        }
    }
    out << "</body></html>\n";
    return out.str();
}

}  // namespace sw
