// Making a build's images ahead of the backends: every source read and decoded once for all the
// outputs that use it, on threads of its own, so the work overlaps the chapters' and the results
// wait in the cache's memory.
#include "image/build.h"
#include "util/hash.h"
#include "util/parallel.h"

#include <atomic>

namespace imprenta::image {

namespace detail {

std::string memory_key(std::string_view kind, std::string_view policy,
                       const std::filesystem::path& source) {
    std::string key(kind);
    key += '\0';
    key += policy;
    key += '\0';
    key += source.string();
    return key;
}

} // namespace detail

namespace {

struct Job {
    Request request;
    std::string kind, policy, memory_key;
    std::promise<std::string> result;
    bool done = false;
    void finish(std::string data) {
        if (done) return;
        done = true;
        result.set_value(std::move(data));
    }
};

// Every output of one source: from the disk cache when it is there, else made from one decode.
// A failure leaves the job's result empty, for the backend to make it again and report why.
void make_source(std::vector<Job*>& jobs, const Cache& cache, KeptImages* kept) {
    try {
        detail::Source src = detail::read_source(jobs.front()->request.source);
        KeptImages::Content content{};
        if (kept) content = KeptImages::content_of(src.bytes);
        for (Job* job : jobs) {
            try {
                std::string data;
                if (kept && kept->find(job->memory_key, content, data)) {
                    job->finish(std::move(data));
                    continue;
                }
                bool disk = !cache.dir().empty(); // else no hashing either
                std::string key = disk ? detail::cache_key(job->kind, job->policy, src.bytes) : "";
                bool epub = job->request.kind == Request::Kind::Epub;
                EpubImage e;
                PdfImage p;
                bool hit = disk && cache.get(key, data) &&
                           (epub ? detail::deserialise(data, e) : detail::deserialise(data, p));
                if (!hit) {
                    data = epub ? detail::serialise(detail::build_epub(src, job->request.epub))
                                : detail::serialise(detail::build_pdf(src, job->request.pdf));
                    if (disk) cache.put(key, data);
                }
                if (kept) kept->put(job->memory_key, content, data);
                job->finish(std::move(data));
            } catch (...) {
                job->finish({});
            }
        }
    } catch (...) {
    }
    for (Job* job : jobs)
        job->finish({});
}

} // namespace

KeptImages::Content KeptImages::content_of(std::string_view bytes) {
    return util::xxh3_128(bytes);
}

void KeptImages::begin_build() {
    std::lock_guard lock(mutex_);
    hits_ = 0;
    if (now_.empty()) return; // the last build failed before its images: keep the one before
    last_ = std::move(now_);
    now_.clear();
}

bool KeptImages::find(const std::string& request, const Content& content, std::string& out) {
    std::lock_guard lock(mutex_);
    auto it = now_.find(request);
    if (it == now_.end()) {
        auto was = last_.find(request);
        if (was == last_.end() || was->second.content != content) return false;
        it = now_.insert(*was).first;
    }
    if (it->second.content != content) return false;
    out = *it->second.data;
    ++hits_;
    return true;
}

void KeptImages::put(const std::string& request, const Content& content, std::string result) {
    if (result.empty()) return; // a failure is made again, so that it is reported again
    auto data = std::make_shared<const std::string>(std::move(result));
    std::lock_guard lock(mutex_);
    now_[request] = {content, std::move(data)};
}

void KeptImages::clear() {
    std::lock_guard lock(mutex_);
    last_.clear();
    now_.clear();
}

std::thread prepare_ahead(std::vector<Request> requests, const Cache& cache) {
    auto jobs = std::make_shared<std::vector<Job>>();
    jobs->reserve(requests.size());
    {
        std::lock_guard lock(cache.memory_->mutex);
        for (auto& r : requests) {
            bool epub = r.kind == Request::Kind::Epub;
            std::string kind = epub ? "epub" : "pdf";
            std::string policy =
                epub ? detail::policy_string(r.epub) : detail::policy_string(r.pdf);
            std::string key = detail::memory_key(kind, policy, r.source);
            if (cache.memory_->results.count(key)) continue; // the same image in two editions
            Job& job = jobs->emplace_back();
            job.request = std::move(r);
            job.kind = std::move(kind);
            job.policy = std::move(policy);
            job.memory_key = key;
            cache.memory_->results.emplace(std::move(key), job.result.get_future().share());
        }
    }
    // One group per source, in request order.
    auto groups = std::make_shared<std::vector<std::vector<Job*>>>();
    std::map<std::filesystem::path, size_t> group_of;
    for (Job& job : *jobs) {
        auto [it, fresh] = group_of.emplace(job.request.source, groups->size());
        if (fresh) groups->emplace_back();
        (*groups)[it->second].push_back(&job);
    }
    auto run = [jobs, groups, &cache, kept = cache.kept_] {
        std::atomic<size_t> next{0};
        auto work = [&] {
            for (size_t i; (i = next++) < groups->size();)
                make_source((*groups)[i], cache, kept);
        };
        size_t threads = std::min(util::worker_count(), groups->size());
        std::vector<std::thread> pool;
        for (size_t t = 1; t < threads; ++t) {
            try {
                pool.emplace_back(work);
            } catch (...) {
                break; // fewer threads only means slower
            }
        }
        work();
        for (auto& th : pool)
            th.join();
    };
    try {
        return std::thread(run);
    } catch (...) {
        for (Job& job : *jobs)
            job.finish({});
        return {};
    }
}

} // namespace imprenta::image
