#include "support/support.h"

#include "util/utf8.h"

#include <functional>
#include <sstream>
#include <tinyxml2.h>

namespace testing_support {

std::string normalize_words(const std::string& text) {
    std::string lower = imprenta::util::to_lower(text);
    std::string out;
    bool space = false;
    for (size_t i = 0; i < lower.size();) {
        size_t start = i;
        char32_t c = imprenta::util::next_code_point(lower, i);
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0xC0 && c < 0x2000);
        if (word) {
            if (space && !out.empty()) out += ' ';
            out.append(lower, start, i - start);
            space = false;
        } else {
            space = true;
        }
    }
    return out;
}

std::vector<std::string> markdown_paragraphs(const std::string& md) {
    std::vector<std::string> paras;
    std::istringstream in(md);
    std::string line, cur;
    bool in_front = false;
    int n = 0;
    auto flush = [&] {
        if (!cur.empty()) paras.push_back(cur);
        cur.clear();
    };
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (n++ == 0 || (in_front && (line == "---" || line == "+++"))) {
            if (line == "---" || line == "+++") {
                in_front = !in_front || n > 1 ? !in_front : true;
                continue;
            }
        }
        if (in_front) continue;
        if ((line == "---" || line == "+++") && paras.empty() && cur.empty()) {
            in_front = true;
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            flush();
            continue;
        }
        if (line[0] == '#' || line.starts_with("[^")) {
            flush();
            continue;
        }
        cur += (cur.empty() ? "" : " ") + line;
    }
    flush();
    return paras;
}

std::string xml_text(const std::string& xml) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(xml.c_str(), xml.size()) != tinyxml2::XML_SUCCESS) return {};
    std::string out;
    std::function<void(const tinyxml2::XMLNode*)> walk = [&](const tinyxml2::XMLNode* n) {
        for (auto* c = n->FirstChild(); c; c = c->NextSibling()) {
            if (auto* t = c->ToText())
                out += t->Value();
            else {
                out += ' ';
                walk(c);
            }
        }
    };
    walk(&doc);
    return out;
}

} // namespace testing_support
