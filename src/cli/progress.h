// One updating status line on stderr for work that takes more than about a second ("typesetting
// the PDF: 40 chapters (2.1 s)"). Silent unless enabled, which the caller decides: stderr is a
// terminal and neither -q nor machine-readable output was asked for.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace imprenta::cli {

class Progress {
public:
    explicit Progress(bool enabled);
    ~Progress(); // clears the line
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // What is being done now; shown from one second after construction, redrawn every 100 ms.
    void stage(std::string text);
    // Erases the line (before diagnostics or results are printed) and stops drawing.
    void finish();

    // True if stderr is a terminal (and TERM is not "dumb").
    static bool stderr_is_terminal();

private:
    void loop();

    bool enabled_;
    std::chrono::steady_clock::time_point start_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::string text_;
    bool stop_ = false;
    bool drawn_ = false;
    std::thread thread_;
};

} // namespace imprenta::cli
