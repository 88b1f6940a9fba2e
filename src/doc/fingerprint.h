// The IR written out field by field, for caches keyed by content (render::Memo hashes it): every
// field of a chapter, of the book's metadata and of an asset, each length-framed, so equal
// fingerprints mean equal inputs to a renderer. Each fingerprint() call appends to `out`.
#pragma once
#include "doc/ir.h"
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace imprenta::doc {

// A chapter's fingerprint is hashed as it is made (XXH3-128), never held.
std::array<uint8_t, 16> fingerprint_key(const Chapter& chapter);
void fingerprint(std::string& out, const Metadata& meta);
void fingerprint(std::string& out, const Asset& asset);

// The chapters `chapter` links to (sorted, once each): a page showing their titles or ids
// depends on them.
std::vector<int> linked_chapters(const Chapter& chapter);

} // namespace imprenta::doc
