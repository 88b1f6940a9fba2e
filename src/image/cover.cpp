#include "image/cover.h"

#include "image/build.h"
#include "image/codec.h"
#include "image/svg_raster.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace imprenta::image {

std::string svg_to_png(std::string_view svg, int width, int height, const Cache* cache) {
    // A drawn cover costs a librsvg render and a PNG encode of 4 million pixels every build.
    std::string key, png;
    if (cache) {
        key = detail::cache_key("svg-png-paeth-runs-1idat",
                                std::to_string(width) + "x" + std::to_string(height), svg);
        if (cache->get(key, png) && png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return png;
    }
    // Encoded from cairo's pixels as they are when the drawing is opaque (a cover always is): no
    // pass over its 16 MB to make them straight RGBA first, none to look for alpha.
    detail::Argb32 drawn = detail::rasterize_svg_argb32(svg, width, height);
    std::optional<std::string> direct;
    if (drawn.width == width && drawn.height == height) direct = detail::encode_drawn_argb32(drawn);
    if (direct) {
        png = std::move(*direct);
    } else {
        detail::Bitmap bm = detail::straight_rgba(std::move(drawn));
        if (bm.width != width || bm.height != height) bm = detail::scale_down(bm, width, height);
        png = detail::encode_png(bm, 6, /*runs=*/true);
    }
    if (cache) cache->put(key, png);
    return png;
}

namespace {

// One thread taking jobs in order, started on first use and kept for the life of the process
// (under watch, a later rebuild's cover finds it ready). The process ends with _Exit; a normal
// exit stops and joins it.
class DrawingThread {
public:
    std::future<void> post(std::function<void()> job) {
        std::packaged_task<void()> task(std::move(job));
        std::future<void> done = task.get_future();
        std::lock_guard lock(mu_);
        if (!thread_.joinable())
            thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
        jobs_.push_back(std::move(task));
        ready_.notify_one();
        return done;
    }

private:
    void run(std::stop_token stop) {
        std::unique_lock lock(mu_);
        while (ready_.wait(lock, stop, [this] { return !jobs_.empty(); })) {
            std::packaged_task<void()> job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            job();
            lock.lock();
        }
    }

    std::mutex mu_;
    std::condition_variable_any ready_;
    std::deque<std::packaged_task<void()>> jobs_;
    std::jthread thread_; // last: stopped and joined before the queue goes
};

DrawingThread& drawing_thread() {
    static DrawingThread thread;
    return thread;
}

} // namespace

std::future<void> on_drawing_thread(std::function<void()> job) {
    return drawing_thread().post(std::move(job));
}

void ready_drawing_thread(std::string svg, int width, int height) {
    try {
        on_drawing_thread([svg = std::move(svg), width, height] {
            try {
                detail::rasterize_svg_argb32(svg, width, height);
            } catch (...) { // the cover's own drawing reports what is wrong
            }
        });
    } catch (const std::system_error&) { // no thread: the cover is drawn cold
    }
}

} // namespace imprenta::image
