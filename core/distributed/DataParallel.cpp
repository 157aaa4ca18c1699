#include "distributed/DataParallel.h"

#include <signal.h>
#include <unistd.h>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <exception>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "distributed/NcclBackend.h"
#include "util/InputError.h"
#include "util/PeerLost.h"

namespace sw {

namespace {

bool isLoopback(const std::string& address) { return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1"; }

/// Whether a process of this host has ended: gone, or a zombie its parent (the launcher) has not reaped yet.
bool processEnded(pid_t pid) {
    if (kill(pid, 0) != 0) return errno == ESRCH;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && (text[close + 2] == 'Z' || text[close + 2] == 'X');
}

std::string hostName() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

/// The rendezvous (a TCPStore) and one c10d backend: Gloo, or NCCL for ranks that each have a GPU.
class C10dGroup final : public DataParallelGroup {
public:
    C10dGroup(const DistributedLaunch& launch, const torch::Device& device, bool haveNccl) : m_launch(launch), m_device(device) {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = uint16_t(launch.masterPort);
        storeOptions.isServer = launch.isLeader();
        storeOptions.numWorkers = size_t(launch.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = launch.timeout;
        const std::string where = launch.masterAddress + ":" + std::to_string(launch.masterPort);
        try {
            m_store = c10::make_intrusive<c10d::TCPStore>(launch.masterAddress, storeOptions);
        } catch (const std::exception& error) {
            const std::string what = error.what();
            if (what.find("in use") != std::string::npos || what.find("EADDRINUSE") != std::string::npos) {
                throw InputError("MASTER_PORT=" + std::to_string(launch.masterPort),
                                 "is in use on " + launch.masterAddress + " (another run?); choose another port");
            }
            throw DistributedError("rank " + std::to_string(launch.rank) + ": no rendezvous with the other ranks at " + where + " within " +
                                   std::to_string(launch.timeout.count()) + " s (are all " + std::to_string(launch.worldSize) +
                                   " ranks started, and is MASTER_ADDR rank 0's host?): " + firstLine(what));
        }
        if (agreedBackend(haveNccl) == "nccl") {
            m_backend = connectNccl(m_store, launch.rank, launch.worldSize, launch.timeout);
            m_backendName = "nccl";
        } else {
            auto options = c10d::ProcessGroupGloo::Options::create(std::chrono::duration_cast<std::chrono::milliseconds>(launch.timeout));
            // On one machine the ranks talk over loopback; across machines, over the interface GLOO_SOCKET_IFNAME
            // names or the one this host's name resolves to.
            const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
            if (interface && *interface)
                options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
            else if (isLoopback(launch.masterAddress))
                options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
            else
                options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
            m_backend = c10::make_intrusive<c10d::ProcessGroupGloo>(m_store, launch.rank, launch.worldSize, options);
            m_backendName = "gloo";
        }
        // Each rank's host and process id, so a lost rank can be named when its connection drops.
        m_store->set("sw/process/" + std::to_string(launch.rank), hostName() + " " + std::to_string(getpid()));
        for (int rank = 0; rank < launch.worldSize; ++rank) {
            const auto value = m_store->get("sw/process/" + std::to_string(rank));
            m_processes[rank] = std::string(value.begin(), value.end());
        }
    }

    int rank() const override { return m_launch.rank; }
    int worldSize() const override { return m_launch.worldSize; }
    std::string backendName() const override { return m_backendName; }

    std::unique_ptr<GradientAverage> gradientAverage(const std::vector<torch::Tensor>& parameters, int64_t bucketBytes) override;

    void broadcastFromLeader(const std::vector<torch::Tensor>& tensors) override {
        collective("sharing rank 0's weights", [&] {
            torch::NoGradGuard noGrad;
            for (const auto& tensor : tensors) {
                // NCCL carries GPU tensors only; Gloo either.
                const bool staged = tensor.device() != m_device && m_backendName == "nccl";
                std::vector<at::Tensor> values{staged ? tensor.detach().to(m_device) : tensor.detach()};
                m_backend->broadcast(values)->wait();
                if (staged) tensor.detach().copy_(values[0]);
            }
        });
    }

    void sum(torch::Tensor& values) override {
        collective("summing", [&] {
            const bool staged = values.device() != m_device && m_backendName == "nccl";
            std::vector<at::Tensor> list{staged ? values.to(m_device) : values};
            m_backend->allreduce(list)->wait();
            if (staged) values.copy_(list[0]);
        });
    }

    bool anyRankStops(bool thisRankStops) override {
        auto flag = torch::full({1}, thisRankStops ? 1 : 0, torch::kInt64);
        sum(flag);
        return flag.item<int64_t>() > 0;
    }

    void waitForAll(const std::string& name) override {
        const std::string arrived = "sw/barrier/" + name, seen = arrived + "/seen";
        collective("waiting for the other ranks", [&] {
            m_store->add(arrived, 1);
            while (m_store->add(arrived, 0) < m_launch.worldSize) {
                if (const auto lost = lostRanks(); !lost.empty()) throw std::runtime_error("rank " + lost + " ended before " + name);
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
            m_store->add(seen, 1);
            // Rank 0 holds the store: it leaves last, once everyone has seen the count.
            while (m_launch.isLeader() && m_store->add(seen, 0) < m_launch.worldSize) {
                if (const auto lost = lostRanks(); !lost.empty()) throw std::runtime_error("rank " + lost + " ended before " + name);
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
    }

    /// The ranks on this host whose process has ended, as "1, 3"; empty when none.
    std::string lostRanks() const {
        std::string lost;
        const std::string here = hostName();
        for (const auto& [rank, process] : m_processes) {
            const auto space = process.find(' ');
            if (rank != m_launch.rank && process.substr(0, space) == here && processEnded(pid_t(std::stol(process.substr(space + 1)))))
                lost += (lost.empty() ? "" : ", ") + std::to_string(rank);
        }
        return lost;
    }

    static std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

    /// Runs a collective; a failure becomes PeerLost, naming the ranks whose process is gone
    /// (on this host; elsewhere it says which ranks it could not check).
    template <typename Work>
    void collective(const char* what, Work work) {
        try {
            work();
        } catch (const std::exception& error) {
            // A killed peer's sockets close before its process is reaped or even a zombie: give it a moment
            // to show as ended before concluding that nobody was lost.
            std::string lost = lostRanks();
            for (int wait = 0; lost.empty() && wait < 60; ++wait) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                lost = lostRanks();
            }
            std::string unknown;
            const std::string here = hostName();
            for (const auto& [rank, process] : m_processes) {
                if (rank != m_launch.rank && process.substr(0, process.find(' ')) != here)
                    unknown += (unknown.empty() ? "" : ", ") + std::to_string(rank);
            }
            std::string message = "rank " + std::to_string(m_launch.rank) + ": " + what + " failed: ";
            if (!lost.empty())
                message += "lost rank " + lost + " (its process ended)";
            else
                message += "a peer stopped answering within " + std::to_string(m_launch.timeout.count()) + " s" +
                           (unknown.empty() ? std::string() : " (ranks on other hosts: " + unknown + ")");
            throw PeerLost(message + ". Detail: " + firstLine(error.what()));
        }
    }

    c10d::Backend& backend() { return *m_backend; }

private:
    /// Every rank must use the same backend, so they compare notes through the store first: each rank's
    /// request, GPU (host and index) and whether its build has NCCL. NCCL needs a GPU of its own per rank.
    /// Every rank reaches the same verdict, or the same error.
    std::string agreedBackend(bool haveNccl) {
        const std::string gpu =
            m_device.is_cuda() ? hostName() + "/cuda:" + std::to_string(m_device.has_index() ? m_device.index() : 0) : "-";
        m_store->set("sw/backend/" + std::to_string(m_launch.rank), m_launch.backend + " " + (haveNccl ? "1" : "0") + " " + gpu);
        std::set<std::string> requests, gpus;
        bool everyRankHasNccl = true, everyRankOnItsOwnGpu = true;
        for (int rank = 0; rank < m_launch.worldSize; ++rank) {
            const auto bytes = m_store->get("sw/backend/" + std::to_string(rank));
            std::istringstream fields(std::string(bytes.begin(), bytes.end()));
            std::string request, nccl, device;
            fields >> request >> nccl >> device;
            requests.insert(request);
            everyRankHasNccl = everyRankHasNccl && nccl == "1";
            everyRankOnItsOwnGpu = everyRankOnItsOwnGpu && device != "-" && gpus.insert(device).second;
        }
        // Rank 0 holds the store: it goes on (or throws) only once every rank has read what it needs from it.
        m_store->add("sw/backend/read", 1);
        const auto deadline = std::chrono::steady_clock::now() + m_launch.timeout;
        while (m_launch.isLeader() && m_store->add("sw/backend/read", 0) < m_launch.worldSize &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (requests.size() > 1) throw InputError("--dist-backend", "the ranks asked for different backends; give every rank the same");
        if (m_launch.backend == "nccl" && !everyRankHasNccl)
            throw DistributedError("--dist-backend nccl: a rank's build has no NCCL; use gloo (it also carries CUDA tensors)");
        if (m_launch.backend == "nccl" && !everyRankOnItsOwnGpu)
            throw InputError("--dist-backend nccl", "needs a GPU of its own for every rank (--device cuda, one rank per GPU); use gloo");
        return chooseBackend(m_launch.backend, everyRankOnItsOwnGpu, everyRankHasNccl);
    }

    DistributedLaunch m_launch;
    c10::intrusive_ptr<c10d::Store> m_store;
    torch::Device m_device;
    c10::intrusive_ptr<c10d::Backend> m_backend;
    std::string m_backendName;
    std::map<int, std::string> m_processes;
};

class OverlappedGradientAverage final : public GradientAverage {
public:
    OverlappedGradientAverage(C10dGroup& group, std::vector<torch::Tensor> parameters, int64_t bucketBytes)
        : m_group(group), m_parameters(std::move(parameters)), m_slots(m_parameters.size()) {
        for (size_t i = m_parameters.size(); i-- > 0;) {
            const auto& parameter = m_parameters[i];
            if (!parameter.requires_grad()) continue;
            const int64_t bytes = parameter.numel() * int64_t(parameter.element_size());
            // A bucket is one flat tensor: one dtype and device, as in DDP.
            const bool fits = !m_buckets.empty() && m_buckets.back().bytes + bytes <= bucketBytes &&
                              m_buckets.back().options.dtype() == parameter.dtype() &&
                              m_buckets.back().options.device() == parameter.device();
            if (m_buckets.empty() || (m_buckets.back().bytes > 0 && !fits)) m_buckets.emplace_back();
            m_buckets.back().options = parameter.options().requires_grad(false);
            auto& bucket = m_buckets.back();
            m_slots[i] = {int(m_buckets.size()) - 1, bucket.length, true};
            bucket.parameters.push_back(i);
            bucket.length += parameter.numel();
            bucket.bytes += bytes;
        }
        for (auto& bucket : m_buckets) bucket.flat = torch::zeros({bucket.length}, bucket.options);
        for (size_t i = 0; i < m_parameters.size(); ++i) {
            if (!m_slots[i].used) continue;
            m_hooks.push_back(m_parameters[i].register_hook([this, i](const torch::Tensor& gradient) { gradientReady(i, gradient); }));
        }
    }

    ~OverlappedGradientAverage() override {
        size_t hook = 0;
        for (size_t i = 0; i < m_parameters.size(); ++i) {
            if (m_slots[i].used) m_parameters[i].remove_hook(m_hooks[hook++]);
        }
    }

    void backward(const torch::Tensor& loss) override {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            for (auto& bucket : m_buckets) {
                bucket.flat.zero_();
                bucket.ready = 0;
                bucket.work.reset();
            }
            for (auto& slot : m_slots) slot.seen = false;
            m_nextBucket = 0;
            m_reusedParameter.reset();
            m_startFailure = nullptr;
            m_armed = true;
        }
        // An error of the backward pass itself is not a lost rank: it goes up as it is.
        try {
            loss.backward();
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_armed = false;
            throw;
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_armed = false;
            m_overlap = {int(m_buckets.size()), m_nextBucket};
        }
        m_group.collective("averaging gradients", [&] {
            // A bucket that could not start during backward (the hook kept the error for here, where a lost
            // rank gets named); then the buckets of parameters the loss did not reach, zero, still in order.
            if (m_startFailure) std::rethrow_exception(m_startFailure);
            while (m_nextBucket < int(m_buckets.size())) startBucket(m_nextBucket++);
            for (auto& bucket : m_buckets) {
                bucket.work->wait();
                bucket.flat.div_(double(m_group.worldSize()));
                for (const size_t i : bucket.parameters) {
                    auto& gradient = m_parameters[i].mutable_grad();
                    const auto mean = bucket.flat.slice(0, m_slots[i].offset, m_slots[i].offset + m_parameters[i].numel());
                    if (gradient.defined())
                        gradient.copy_(mean.view(gradient.sizes()));
                    else
                        gradient = mean.view(m_parameters[i].sizes()).clone();
                }
            }
        });
        if (m_reusedParameter)
            throw DistributedError("parameter " + std::to_string(*m_reusedParameter) +
                                   " got two gradients in one step; the overlapped average needs each parameter used once");
    }

    Overlap lastOverlap() const override { return m_overlap; }

private:
    struct Slot {
        int bucket = 0;
        int64_t offset = 0;
        bool used = false;
        bool seen = false;
    };
    struct Bucket {
        std::vector<size_t> parameters;
        int64_t length = 0, bytes = 0;
        torch::TensorOptions options;
        torch::Tensor flat;
        size_t ready = 0;
        c10::intrusive_ptr<c10d::Work> work;
    };

    /// Called by autograd (on its thread) when parameter i's gradient for this backward pass is computed.
    void gradientReady(size_t i, const torch::Tensor& gradient) {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_armed) return;  // a backward pass other than the training step's
        auto& slot = m_slots[i];
        if (slot.seen) {
            m_reusedParameter = i;
            return;
        }
        slot.seen = true;
        auto& bucket = m_buckets[size_t(slot.bucket)];
        // An undefined gradient is a zero one: the slot keeps its zeros.
        if (gradient.defined()) bucket.flat.slice(0, slot.offset, slot.offset + gradient.numel()).copy_(gradient.reshape({-1}));
        ++bucket.ready;
        try {
            while (!m_startFailure && m_nextBucket < int(m_buckets.size()) &&
                   m_buckets[size_t(m_nextBucket)].ready == m_buckets[size_t(m_nextBucket)].parameters.size())
                startBucket(m_nextBucket++);
        } catch (...) {
            m_startFailure = std::current_exception();  // not thrown through autograd: backward() reports it
        }
    }

    void startBucket(int index) {
        std::vector<at::Tensor> tensors{m_buckets[size_t(index)].flat};
        m_buckets[size_t(index)].work = m_group.backend().allreduce(tensors);
    }

    C10dGroup& m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<Slot> m_slots;
    std::vector<Bucket> m_buckets;
    std::vector<unsigned> m_hooks;
    std::mutex m_mutex;
    bool m_armed = false;
    int m_nextBucket = 0;
    std::optional<size_t> m_reusedParameter;
    std::exception_ptr m_startFailure;
    Overlap m_overlap;
};

std::unique_ptr<GradientAverage> C10dGroup::gradientAverage(const std::vector<torch::Tensor>& parameters, int64_t bucketBytes) {
    return std::make_unique<OverlappedGradientAverage>(*this, parameters, bucketBytes);
}

}  // namespace

bool dataParallelAvailable(std::string*) { return true; }

std::unique_ptr<DataParallelGroup> DataParallelGroup::connect(const DistributedLaunch& launch, const torch::Device& device) {
    if (launch.backend != "auto" && launch.backend != "gloo" && launch.backend != "nccl")
        throw InputError("--dist-backend " + launch.backend, "expected auto, gloo or nccl");
    return std::make_unique<C10dGroup>(launch, device, ncclAvailable());
}

}  // namespace sw
