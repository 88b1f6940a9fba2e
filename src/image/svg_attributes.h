// SVG 2 and CSS-only attributes rewritten into SVG 1.1, the version EPUB 3 (and epubcheck's
// schema) knows: the drawing looks the same, the document validates.
#pragma once

namespace tinyxml2 {
class XMLElement;
}

namespace imprenta::image::detail {

// Below `root`: an SVG 2 `href` becomes `xlink:href`; a CSS property written as an attribute
// that SVG 1.1 lacks (paint-order, mix-blend-mode, vector-effect ...) moves into `style`; any
// other unprefixed attribute SVG 1.1 does not define (data-*, tabindex ...) is dropped.
// Prefixed (foreign-namespace) attributes and foreign elements are left alone.
void rewrite_to_svg11(tinyxml2::XMLElement* root);

} // namespace imprenta::image::detail
