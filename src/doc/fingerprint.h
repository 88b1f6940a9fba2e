// Hashes of the IR for caches keyed by content (render::Memo): every field of a chapter, of the
// book's metadata and of an asset goes in, so equal hashes mean equal inputs to a renderer.
#pragma once
#include "doc/ir.h"
#include "util/hash.h"

namespace imprenta::doc {

void fingerprint(util::Sha256& sha, const Chapter& chapter);
void fingerprint(util::Sha256& sha, const Metadata& meta);
void fingerprint(util::Sha256& sha, const Asset& asset);

// The chapters `chapter` links to (sorted, once each): a page showing their titles or ids
// depends on them.
std::vector<int> linked_chapters(const Chapter& chapter);

} // namespace imprenta::doc
