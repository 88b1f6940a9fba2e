#include "image/svg_attributes.h"

#include <tinyxml2.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::image::detail {

namespace {

// Every attribute SVG 1.1 (Second Edition) defines without a prefix, on any element.
bool is_svg11_attribute(std::string_view name) {
    static const std::set<std::string, std::less<>> names{
        // core, styling, conditional processing, document
        "id", "class", "style", "externalResourcesRequired", "requiredFeatures",
        "requiredExtensions", "systemLanguage", "transform", "version", "baseProfile",
        "contentScriptType", "contentStyleType", "zoomAndPan", "viewBox", "preserveAspectRatio",
        "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "x1", "y1", "x2", "y2", "points",
        "d", "pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset",
        "method", "spacing", "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy",
        "offset", "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits",
        "maskUnits", "maskContentUnits", "filterUnits", "primitiveUnits", "filterRes",
        "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient", "viewTarget",
        "target", "media", "title", "type", "name", "local", "rendering-intent", "format",
        "glyphRef", "string",
        // filter primitives
        "in", "in2", "result", "mode", "values", "tableValues", "slope", "intercept", "amplitude",
        "exponent", "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias",
        "targetX", "targetY", "edgeMode", "kernelUnitLength", "preserveAlpha", "surfaceScale",
        "diffuseConstant", "specularConstant", "specularExponent", "scale", "xChannelSelector",
        "yChannelSelector", "stdDeviation", "radius", "baseFrequency", "numOctaves", "seed",
        "stitchTiles", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
        "limitingConeAngle",
        // animation
        "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart",
        "repeatCount", "repeatDur", "calcMode", "keyTimes", "keySplines", "from", "to", "by",
        "additive", "accumulate", "path", "keyPoints",
        // fonts and glyphs
        "horiz-origin-x", "horiz-origin-y", "horiz-adv-x", "vert-origin-x", "vert-origin-y",
        "vert-adv-y", "unicode", "glyph-name", "arabic-form", "lang", "u1", "g1", "u2", "g2", "k",
        "units-per-em", "stemv", "stemh", "cap-height", "x-height", "accent-height", "ascent",
        "descent", "widths", "bbox", "ideographic", "alphabetic", "mathematical", "hanging",
        "v-ideographic", "v-alphabetic", "v-mathematical", "v-hanging", "underline-position",
        "underline-thickness", "strikethrough-position", "strikethrough-thickness",
        "overline-position", "overline-thickness", "panose-1",
        // presentation attributes
        "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
        "color-interpolation", "color-interpolation-filters", "color-profile", "color-rendering",
        "cursor", "direction", "display", "dominant-baseline", "enable-background", "fill",
        "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity", "font",
        "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style",
        "font-variant", "font-weight", "glyph-orientation-horizontal", "glyph-orientation-vertical",
        "image-rendering", "kerning", "letter-spacing", "lighting-color", "marker", "marker-end",
        "marker-mid", "marker-start", "mask", "opacity", "overflow", "pointer-events",
        "shape-rendering", "stop-color", "stop-opacity", "stroke", "stroke-dasharray",
        "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering",
        "unicode-bidi", "visibility", "word-spacing", "writing-mode"};
    return names.count(name) > 0;
}

// CSS properties SVG 2 (or CSS) lets a drawing set as attributes, which SVG 1.1 does not: the
// renderer still applies them from `style`.
bool is_css_property(std::string_view name) {
    static const std::set<std::string, std::less<>> names{"paint-order",
                                                          "mix-blend-mode",
                                                          "isolation",
                                                          "vector-effect",
                                                          "transform-origin",
                                                          "transform-box",
                                                          "mask-type",
                                                          "white-space",
                                                          "inline-size",
                                                          "shape-inside",
                                                          "shape-subtract",
                                                          "shape-padding",
                                                          "shape-margin",
                                                          "text-overflow",
                                                          "font-kerning",
                                                          "font-feature-settings",
                                                          "font-variation-settings",
                                                          "font-variant-ligatures",
                                                          "font-variant-caps",
                                                          "font-variant-numeric",
                                                          "font-variant-east-asian",
                                                          "font-variant-position",
                                                          "line-height",
                                                          "solid-color",
                                                          "solid-opacity",
                                                          "text-decoration-line",
                                                          "text-decoration-style",
                                                          "text-decoration-color",
                                                          "text-orientation",
                                                          "clip-box",
                                                          "mask-border",
                                                          "marker-knockout-left"};
    return names.count(name) > 0;
}

bool is_svg_element(const tinyxml2::XMLElement* e) {
    std::string_view n = e->Name();
    return n.find(':') == std::string_view::npos || n.starts_with("svg:");
}

void rewrite(tinyxml2::XMLElement* e, int depth) {
    if (depth > 256) return;
    if (is_svg_element(e)) {
        std::vector<std::string> drop;
        std::string style_add;
        const char* href = nullptr;
        for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
            std::string_view n = a->Name();
            if (n.find(':') != std::string_view::npos || n == "xmlns" || is_svg11_attribute(n) ||
                n == "role" || n.starts_with("aria-"))
                continue;
            if (n == "href") {
                href = a->Value();
                continue;
            }
            if (is_css_property(n)) {
                std::string v = a->Value();
                // A value that would end the declaration early is not moved.
                if (v.find_first_of(";{}") == std::string::npos)
                    style_add += std::string(n) + ":" + v + ";";
            }
            drop.emplace_back(n);
        }
        if (href) {
            if (!e->Attribute("xlink:href")) e->SetAttribute("xlink:href", href);
            drop.emplace_back("href");
        }
        for (const auto& n : drop)
            e->DeleteAttribute(n.c_str());
        if (!style_add.empty()) {
            // Attributes yield to style="" in CSS: the moved ones go first so existing rules win.
            std::string style = e->Attribute("style") ? e->Attribute("style") : "";
            e->SetAttribute("style", (style_add + style).c_str());
        }
    }
    for (tinyxml2::XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        rewrite(c, depth + 1);
}

} // namespace

void rewrite_to_svg11(tinyxml2::XMLElement* root) {
    rewrite(root, 0);
}

} // namespace imprenta::image::detail
