#include "util/diag.h"

#include <cstdio>

namespace imprenta::util {

std::string format_pos(const SourcePos& pos) {
    std::string s = pos.file.empty() ? "imprenta" : pos.file;
    if (pos.line > 0) {
        s += ':' + std::to_string(pos.line);
        if (pos.col > 0) s += ':' + std::to_string(pos.col);
    }
    return s;
}

std::string BuildError::formatted() const {
    return format_pos(pos_) + ": error: " + what();
}

std::string format_diagnostic(const Diagnostic& d) {
    const char* kind = d.severity == Severity::Error     ? ": error: "
                       : d.severity == Severity::Warning ? ": warning: "
                                                         : ": note: ";
    return format_pos(d.pos) + kind + d.message;
}

void Diagnostics::warning(const SourcePos& pos, const std::string& message) {
    std::lock_guard lock(mu_);
    items_.push_back({Severity::Warning, pos, message});
}

void Diagnostics::warning(const SourcePos& pos, const std::string& message,
                          const std::string& group) {
    std::lock_guard lock(mu_);
    items_.push_back({Severity::Warning, pos, message, group});
}

void Diagnostics::error(const SourcePos& pos, const std::string& message) {
    std::lock_guard lock(mu_);
    items_.push_back({Severity::Error, pos, message});
}

void Diagnostics::note(const SourcePos& pos, const std::string& message) {
    std::lock_guard lock(mu_);
    items_.push_back({Severity::Note, pos, message});
}

int Diagnostics::warning_count() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& d : items_)
        n += d.severity == Severity::Warning;
    return n;
}

int Diagnostics::error_count() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& d : items_)
        n += d.severity == Severity::Error;
    return n;
}

std::vector<Diagnostic> Diagnostics::all() const {
    std::lock_guard lock(mu_);
    return items_;
}

void Diagnostics::flush(std::FILE* out, bool fold) {
    std::lock_guard lock(mu_);
    // A group is folded only when that leaves out two or more ("1 more" saves no line).
    std::map<std::string, int> pending, folded; // group -> how many to print, left out
    for (size_t i = printed_; i < items_.size(); ++i)
        if (!items_[i].group.empty()) ++pending[items_[i].group];
    for (; printed_ < items_.size(); ++printed_) {
        const Diagnostic& d = items_[printed_];
        if (!d.group.empty()) {
            int& shown = shown_[d.group];
            if (fold && shown >= kShownPerGroup && (folded[d.group] > 0 || pending[d.group] >= 2)) {
                ++folded[d.group];
                continue;
            }
            ++shown;
            --pending[d.group];
        }
        std::fprintf(out, "%s\n", format_diagnostic(d).c_str());
    }
    for (const auto& [group, n] : folded)
        if (n > 0)
            std::fprintf(out, "imprenta: note: %d more %s (-v lists every one)\n", n,
                         group.c_str());
    std::fflush(out);
}

} // namespace imprenta::util
