#pragma once

#include <string>

namespace sw {

/// resources/study/study.html, compiled in (core/CMakeLists.txt generates the definition): the browser study
/// page, with `@STUDY_DATA@` where writeStudyHtml() puts the study's settings and orders.
const std::string& studyHtmlTemplate();

}  // namespace sw
