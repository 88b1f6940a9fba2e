// Build time: from SOURCE_DATE_EPOCH when set, so outputs are reproducible; never the wall clock.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace imprenta::util {

// SOURCE_DATE_EPOCH as seconds, if set and valid.
std::optional<int64_t> source_date_epoch();

// "CCYY-MM-DDThh:mm:ssZ" in UTC.
std::string iso8601_utc(int64_t epoch_seconds);

// "D:CCYYMMDDhhmmssZ" (PDF date) in UTC.
std::string pdf_date_utc(int64_t epoch_seconds);

struct DosTime {
    uint16_t time;
    uint16_t date;
};
// MS-DOS date/time (used by zip) in UTC, clamped to 1980..2107.
DosTime dos_time_utc(int64_t epoch_seconds);

} // namespace imprenta::util
