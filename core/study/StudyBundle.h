#pragma once

#include <string>
#include <vector>

#include "study/StudyFolder.h"

namespace sw {

/// The participant bundle of a study (study/StudyFolder.h, docs/STUDY.md "Two folders"): what may be sent to
/// participants or put on a web server, checked, and packed.

/// Every problem with the bundle, one line each, starting with the file it is about (relative to the study
/// folder); empty when the bundle is fit to send:
/// - every stimulus is there and matches its SHA-256 in the private manifest;
/// - the bundle holds exactly study.html and the files the orders show, nothing else;
/// - no file of the bundle contains anything of the key: a model's file name, path, SHA-256 or badge, or a
///   method's id (as a word), name or full name. study.html is read whole, the experimenter's texts with it.
/// Throws InputError only when the key itself cannot be read.
std::vector<std::string> checkStudyBundle(const StudyFolder& study);

/// Packs the bundle into a zip file (entries stored, not compressed: the PNGs are compressed already) under a
/// folder named after the zip, written atomically. Checks the bundle first and refuses with an InputError that
/// lists the problems.
void writeStudyBundleZip(const StudyFolder& study, const std::string& zipPath);

/// Moves a study folder of the earlier one-folder layout (key.json, the manifest and stimuli/ beside
/// study.json) into the two-folder layout and writes the bundle's study.html. Each step is a rename that is
/// skipped once done, so an interrupted move completes when run again. Returns false when there was nothing
/// to move.
bool migrateStudyFolder(const std::string& folder);

}  // namespace sw
