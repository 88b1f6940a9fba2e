#include "render/render.h"

namespace imprenta::render {

void Registry::add(std::unique_ptr<Renderer> renderer, bool by_default) {
    renderers_.push_back(std::move(renderer));
    by_default_.push_back(by_default);
}

Renderer* Registry::find(std::string_view name) const {
    for (const auto& r : renderers_)
        if (r->name() == name) return r.get();
    return nullptr;
}

bool Registry::by_default(const Renderer& r) const {
    for (size_t i = 0; i < renderers_.size(); ++i)
        if (renderers_[i].get() == &r) return by_default_[i];
    return false;
}

std::string Registry::names() const {
    std::string out;
    for (const auto& r : renderers_) {
        if (!out.empty()) out += ", ";
        out += r->name();
    }
    return out;
}

} // namespace imprenta::render
