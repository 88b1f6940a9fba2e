#include "util/time.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace imprenta::util {

std::optional<int64_t> source_date_epoch() {
    const char* s = std::getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return std::nullopt;
    char* end = nullptr;
    long long v = std::strtoll(s, &end, 10);
    if (*end != '\0' || v < 0) return std::nullopt;
    return v;
}

namespace {
std::tm utc(int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm;
}
} // namespace

std::string iso8601_utc(int64_t t) {
    auto tm = utc(t);
    char b[64];
    std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return b;
}

std::string pdf_date_utc(int64_t t) {
    auto tm = utc(t);
    char b[64];
    std::snprintf(b, sizeof b, "D:%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return b;
}

DosTime dos_time_utc(int64_t t) {
    auto tm = utc(t);
    int year = tm.tm_year + 1900;
    if (year < 1980) return {0, (1 << 5) | 1}; // 1980-01-01 00:00
    if (year > 2107) year = 2107;
    DosTime d;
    d.time = uint16_t((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    d.date = uint16_t(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    return d;
}

} // namespace imprenta::util
