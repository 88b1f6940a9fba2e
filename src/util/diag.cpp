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

void Diagnostics::flush(std::FILE* out) {
    std::lock_guard lock(mu_);
    for (; printed_ < items_.size(); ++printed_)
        std::fprintf(out, "%s\n", format_diagnostic(items_[printed_]).c_str());
    std::fflush(out);
}

} // namespace imprenta::util
