// `imprenta check`: every stage of build, into a scratch folder, reported as text or JSON.
#include "cli/app.h"
#include "cli/commands.h"
#include "cli/find_book.h"
#include "util/utf8.h"

#include <cstdio>

namespace imprenta::cli {

namespace {

std::string json_string(std::string s) {
    // JSON must be valid UTF-8: a stray byte (a file name in another encoding) becomes U+FFFD.
    while (auto bad = util::find_invalid_utf8(s))
        s.replace(*bad, 1, "\xEF\xBF\xBD");
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            out += b;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

void print_json(const std::string& root, const std::vector<util::Diagnostic>& diags, int errors,
                int warnings, bool ok) {
    std::string j = "{\n  \"tool\": \"imprenta\",\n  \"version\": " + json_string(IMPRENTA_VERSION);
    if (!root.empty()) j += ",\n  \"book\": " + json_string(root);
    j += ",\n  \"ok\": " + std::string(ok ? "true" : "false");
    j += ",\n  \"errors\": " + std::to_string(errors);
    j += ",\n  \"warnings\": " + std::to_string(warnings);
    j += ",\n  \"diagnostics\": [";
    for (size_t i = 0; i < diags.size(); ++i) {
        const auto& d = diags[i];
        j += i ? ",\n    {" : "\n    {";
        j += "\"severity\": ";
        j += d.severity == util::Severity::Error     ? "\"error\""
             : d.severity == util::Severity::Warning ? "\"warning\""
                                                     : "\"note\"";
        if (!d.pos.file.empty()) j += ", \"file\": " + json_string(d.pos.file);
        if (d.pos.line > 0) j += ", \"line\": " + std::to_string(d.pos.line);
        if (d.pos.line > 0 && d.pos.col > 0) j += ", \"column\": " + std::to_string(d.pos.col);
        j += ", \"message\": " + json_string(d.message) + "}";
    }
    j += diags.empty() ? "]\n}\n" : "\n  ]\n}\n";
    std::fputs(j.c_str(), stdout);
}

} // namespace

int run_check(const std::vector<std::string>& args) {
    bool json = false;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        if (auto v = option_value(args, i, "-f", "--format")) {
            if (*v != "text" && *v != "json")
                throw UsageError{"check --format is text or json (not '" + *v + "')"};
            json = *v == "json";
        } else {
            rest.push_back(args[i]);
        }
    }
    BuildArgs b = parse_build_args(rest);
    if (b.out) throw UsageError{"check writes nothing: -o does not apply"};
    bool strict = b.strict;
    b.strict = false; // warnings are counted below, not turned into one error
    BuildReport report;
    report.quiet_progress = json;
    build(b, &report);

    int errors = 0, warnings = 0;
    for (const auto& d : report.diagnostics) {
        errors += d.severity == util::Severity::Error;
        warnings += d.severity == util::Severity::Warning;
    }
    bool ok = errors == 0 && !(strict && warnings > 0);
    if (json) {
        std::string root;
        try {
            root = find_book(b.book, b.book_given).root.string();
        } catch (const util::BuildError&) {
        }
        print_json(root, report.diagnostics, errors, warnings, ok);
    } else {
        for (const auto& d : report.diagnostics)
            std::printf("%s\n", util::format_diagnostic(d).c_str());
        if (!b.quiet || !ok)
            std::printf("check: %d error%s, %d warning%s%s\n", errors, errors == 1 ? "" : "s",
                        warnings, warnings == 1 ? "" : "s",
                        ok ? "" : (errors ? "" : " and --strict"));
    }
    return ok ? 0 : 1;
}

} // namespace imprenta::cli
