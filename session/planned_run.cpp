#include "session/planned_run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "base/errors.hpp"
#include "base/output_policy.hpp"
#include "calibration/posterior_file.hpp"
#include "config/scenario_loader.hpp"
#include "ensemble/ensemble.hpp"
#include "ensemble/progress.hpp"
#include "iskabm/build_info.hpp"
#include "output/run_file.hpp"
#include "output/run_journal.hpp"
#include "session/paths.hpp"
#include "session/stop_signals.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

namespace {

// The year (index into the window's years) of each month of the window.
std::vector<std::size_t> year_of_each_month(const World& w) {
  std::vector<std::size_t> year(static_cast<std::size_t>(w.calendar.months), 0);
  for (std::size_t t = 0; t < w.days(); ++t)
    year[w.calendar.month_index[t]] = static_cast<std::size_t>(w.calendar.year_index[t]);
  return year;
}

// Observed attacks per (country, year) of one replicate, appended to `out`.
void append_yearly_observed(const World& w, const std::vector<std::size_t>& year_of_month, const Recorder& r,
                            std::vector<double>& out) {
  const auto& geo = *w.geography;
  const auto years = static_cast<std::size_t>(w.calendar.years);
  const auto at = out.size();
  out.resize(at + country_count * years, 0.0);
  for (std::size_t m = 0; m < r.months; ++m)
    for (DistrictIndex d = 0; d < geo.size(); ++d)
      out[at + static_cast<std::size_t>(geo.country[d]) * years + year_of_month[m]] += r.attacks_observed[r.md(m, d)];
}

}  // namespace

struct PlannedRun::Impl {
  const ObservedData& data;
  RunRequest request;
  std::filesystem::path config_path, output, posterior_path, journal_path;
  std::uint64_t seed = 0;
  ReplicateRange ensemble, range;
  std::string resolved, identity, posterior_identity;
  std::optional<PosteriorDraw> posterior;
  ModelConfig base_config;
  World world;
  RunMetadata meta;
};

PlannedRun::PlannedRun(const ObservedData& data, const RunRequest& request) {
  const auto& shard = request.shard;
  const auto config_path = request.config.empty() ? default_config_path() : request.config;
  auto config = load_model_config(config_path, data.geography, default_parameters_path());
  const auto seed = request.seed != 0 ? request.seed : config.seed;
  const ReplicateRange ensemble{request.first_replicate,
                                request.replicates != 0 ? request.replicates : config.replicates};
  const auto range = shard ? shard_range(ensemble, *shard) : ensemble;  // the replicates this run writes
  auto resolved = resolved_toml(config, data.geography);
  std::optional<PosteriorDraw> posterior;
  std::filesystem::path posterior_path = request.posterior;
  if (posterior_path.empty() && !request.no_posterior) {
    posterior_path = config.posterior;
    std::error_code ec;
    if (!posterior_path.empty() && !std::filesystem::exists(posterior_path, ec))
      throw DataError(config_path.string(), 0, 0, "run.posterior",
                      fmt::format("no such file: {} (make it with `iskabm calibrate`, or run with --no-posterior)",
                                  posterior_path.string()));
  }
  if (!posterior_path.empty()) posterior = read_posterior_draw(posterior_path);
  auto base_config = config;
  auto world = make_world(data.geography, std::move(config));
  const auto default_name =
      shard ? fmt::format("{}.shard-{}-of-{}.h5", config_path.stem().string(), shard->index, shard->count)
            : fmt::format("{}.h5", config_path.stem().string());
  const std::filesystem::path output =
      request.output.empty() ? std::filesystem::path("results") / default_name : request.output;

  // The output policy, before any work: never one of the run's inputs, never a non-regular file.
  {
    std::vector<std::filesystem::path> inputs(base_config.chain.begin(), base_config.chain.end());
    inputs.push_back(posterior_path);
    inputs.push_back(default_parameters_path());
    inputs.push_back(data.directory);
    check_outputs({{output, TargetKind::file, "-o"}}, inputs);
  }
  // What identifies the run: equal runs give byte-equal files, whatever the threads or resumes.
  const RunCommand command{config_path.filename().string(),
                           seed,
                           ensemble,
                           shard,
                           request.no_posterior && !base_config.posterior.empty(),
                           posterior ? posterior_path.filename().string() : std::string()};
  RunMetadata meta{command.text(), resolved, seed, range.first, {}, {}, command};
  std::string posterior_identity;
  if (posterior) {
    const auto name = posterior_path.filename().string();
    meta.posterior = fmt::format("{}: {} particles; each replicate draws one by weight", name, posterior->theta.size());
    for (const auto* p : posterior->parameters) meta.varying_parameters.emplace_back(p->key);
    for (const auto& t : posterior->theta) posterior_identity += fmt::format("{}\n", fmt::join(t, " "));
    for (double x : posterior->weight) posterior_identity += fmt::format("{} ", x);
  }
  // The journal is the checkpoint: --resume replays its intact records into a fresh file
  // (giving the bytes of an uninterrupted run) and continues after them.
  auto journal_path = output;
  journal_path += ".journal";
  auto identity = fmt::format("{}\n{}\n{}\niskabm {} (git {})\n{}", resolved, seed, range.first, build_info::version,
                              build_info::git_commit, posterior_identity);
  if (shard) identity += fmt::format("\nshard {} of replicates {}", to_string(*shard), to_string(ensemble));
  impl_.reset(new Impl{data, request, config_path, output, posterior_path, journal_path, seed, ensemble, range,
                       std::move(resolved), std::move(identity), std::move(posterior_identity), std::move(posterior),
                       std::move(base_config), std::move(world), std::move(meta)});
}

PlannedRun::~PlannedRun() = default;

const std::filesystem::path& PlannedRun::output() const noexcept { return impl_->output; }
const std::filesystem::path& PlannedRun::journal() const noexcept { return impl_->journal_path; }
const std::string& PlannedRun::history() const noexcept { return impl_->meta.command_line; }
const std::string& PlannedRun::configuration() const noexcept { return impl_->resolved; }
const std::string& PlannedRun::title() const noexcept { return impl_->world.config.title; }
std::uint64_t PlannedRun::replicates() const noexcept { return impl_->range.count; }
const World& PlannedRun::world() const noexcept { return impl_->world; }

RunOutcome PlannedRun::execute(const StopSignals* caller_signals) {
  const auto& data = impl_->data;
  const auto& request = impl_->request;
  const auto& shard = request.shard;
  const auto& output = impl_->output;
  const auto& journal_path = impl_->journal_path;
  const auto& world = impl_->world;
  const auto& base_config = impl_->base_config;
  const auto& posterior = impl_->posterior;
  const auto& meta = impl_->meta;
  const auto seed = impl_->seed;
  const auto ensemble = impl_->ensemble, range = impl_->range;
  const auto replicates = range.count;
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  if (posterior)
    spdlog::info("parameters drawn from {} per replicate: {}", impl_->posterior_path.string(),
                 fmt::join(meta.varying_parameters, ", "));
  // A posterior-driven replicate runs in its own World with the drawn parameter values.
  const auto world_for_replicate = [&](std::uint64_t replicate) -> std::shared_ptr<const World> {
    auto c = base_config;
    posterior->apply(c.parameters, posterior->values(seed, replicate));
    return std::make_shared<const World>(make_world(data.geography, std::move(c)));
  };

  RunFileWriter writer(output, world, meta);
  writer.set_observed_statistics(observed_summary_statistics(world, data));
  if (shard) {  // which part of which ensemble the file holds, for `iskabm merge` (docs/cluster.md)
    writer.add_attribute("shard_index", shard->index);
    writer.add_attribute("shard_count", shard->count);
    writer.add_attribute("ensemble_first_replicate", ensemble.first);
    writer.add_attribute("ensemble_replicates", ensemble.count);
    if (posterior) writer.add_attribute("posterior_fingerprint", fingerprint_hash(impl_->posterior_identity));
    spdlog::info("shard {}: replicates {} of {}", to_string(*shard), to_string(range), to_string(ensemble));
  }
  std::unique_ptr<RunJournal> journal;
  std::uint64_t done = 0;
  std::error_code ec;
  if (request.resume && std::filesystem::exists(journal_path, ec)) {
    RunJournal::recover(
        journal_path, impl_->identity,
        [&](PreparedReplicate&& p) {
          if (done < replicates) writer.append(std::move(p)), ++done;
        },
        journal);
    spdlog::info("resumed: {} replicate(s) recovered from the interrupted run", done);
  } else {
    if (request.resume)
      spdlog::warn("--resume: no interrupted run at {}; starting from the beginning", journal_path.string());
    else if (std::filesystem::exists(journal_path, ec))
      spdlog::warn("{} holds an interrupted run; starting afresh (use --resume to continue it instead)",
                   journal_path.string());
    journal = std::make_unique<RunJournal>(journal_path, impl_->identity);
  }

  // SIGINT / SIGTERM: the caller's handlers (a sweep), else our own while the ensemble runs.
  std::optional<StopSignals> own_signals;
  const StopSignals* signals = caller_signals ? caller_signals : &own_signals.emplace();
  const bool terminal = !request.no_progress && ::isatty(2);
  Progress progress(shard ? fmt::format("{} (shard {})", world.config.title, to_string(*shard)) : world.config.title,
                    replicates, terminal);
  progress.advance(done);
  const auto t0 = std::chrono::steady_clock::now();
  RunOutcome outcome;
  auto& last = outcome.last;
  auto& yearly = outcome.yearly_observed;
  const std::size_t yearly_width = country_count * static_cast<std::size_t>(world.calendar.years);
  const auto year_of_month = year_of_each_month(world);
  EnsembleOptions eo{seed, range.first + done, replicates - done, request.threads, signals->flag(), {}};
  if (posterior) eo.world_for_replicate = world_for_replicate;
  const auto result = run_ensemble(
      world, eo,
      [&](ReplicateOutput& out) {  // on the simulating thread: compress the chunks
        const auto* values = posterior ? &posterior->values(seed, out.replicate) : nullptr;
        out.prepared =
            std::make_shared<PreparedReplicate>(writer.prepare(out.replicate, out.recorder, nullptr, values));
      },
      [&](ReplicateOutput& out) {  // the single writer, in replicate order
        auto& prepared = *std::static_pointer_cast<PreparedReplicate>(out.prepared);
        journal->append(prepared);
        writer.append(std::move(prepared));
        progress.advance(++done);
        if (yearly.size() < 100000 * yearly_width) append_yearly_observed(world, year_of_month, out.recorder, yearly);
        if (done == replicates) last = std::move(out.recorder);
      });
  progress.finish();
  const int stopped_code = signals->exit_code();
  own_signals.reset();
  if (result.stopped) {
    journal->sync();
    writer.suspend();
    spdlog::warn("interrupted after {} of {} replicates; {} holds them: continue with --resume", done, replicates,
                 journal_path.string());
    outcome.exit_code = stopped_code;
    outcome.replicates_done = done;
    return outcome;
  }
  writer.commit();
  journal->remove();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("{}: {} replicate(s) of {} days, {:.3g} cell-days, in {} ({:.1f} replicates/s); wrote {}",
               world.config.title, replicates, world.days(), static_cast<double>(result.cell_days), format_duration(s),
               static_cast<double>(result.replicates_done) / std::max(s, 1e-9), output.string());
  outcome.replicates_done = done;
  return outcome;
}

}  // namespace iskabm
