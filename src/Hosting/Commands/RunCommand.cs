using System.CommandLine;
using Etl.Hosting.Configuration;
using Etl.Hosting.Faults;
using Etl.Hosting.Job;
using Etl.Hosting.Metrics;
using Etl.Pipeline.Faults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etl.Hosting.Commands;

/// <summary>
/// <c>etl run</c>: the registered job as a generic-host service. Configuration, lowest to highest
/// priority: appsettings.json beside etl.dll, appsettings.json in the working directory (or --config),
/// environment variables (Etl__Window__Size), <c>Etl:Key=Value</c> arguments, then the named options below.
/// </summary>
internal static class RunCommand
{
    public static Command Create(HostedJobDefinition job)
    {
        var config = new Option<string>("--config") { Description = "A JSON settings file (default: appsettings.json in the working directory, if present)." };
        var jobName = new Option<string>("--job") { Description = $"Job name (Etl:JobName; default {job.DefaultName})." };
        var topic = new Option<string>("--topic") { Description = "Input topic (Etl:Kafka:Topic)." };
        var checkpointDir = new Option<string>("--checkpoint-dir") { Description = "Checkpoint directory (Etl:Checkpoints:Directory)." };
        var fromCheckpoint = new Option<string>("--from-checkpoint") { Description = "Restore from this checkpoint or savepoint (a chk-N or savepoint directory, or its _metadata)." };
        var startFresh = new Option<bool>("--start-fresh")
        {
            Description = "Start from nothing although checkpoints, savepoints or committed epochs of the job exist (refused without it); checkpoint ids continue after the highest seen (Etl:StartFresh).",
        };
        var allowNonRestored = new Option<bool>("--allow-non-restored-state") { Description = "Restore even if the checkpoint has state of operators this job no longer has, or windows configured differently (that state is dropped)." };
        var standby = new Option<bool>("--standby")
        {
            Description = "Start as a standby: wait for the job lock while another worker runs the job, then take over from the newest checkpoint in the shared checkpoint storage (Etl:Standby).",
        };
        var stopAtEnd = new Option<bool>("--stop-at-end") { Description = "Bounded run: stop with a final checkpoint once the input present at start has been read." };
        var parallelism = new Option<int?>("--parallelism") { Description = "Subtasks per operator (Etl:Parallelism)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Port of the health/metrics/status/savepoint endpoint; 0 picks one, -1 disables (Etl:Http:Port)." };
        var command = new Command("run", $"Run the job ({job.DefaultName}) until SIGTERM (stop with savepoint), end of input (--stop-at-end), or failure. Extra Etl:Key=Value arguments set any setting.")
        {
            config, jobName, topic, checkpointDir, fromCheckpoint, startFresh, allowNonRestored, standby, stopAtEnd, parallelism, httpPort,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, _) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, string? value)
            {
                if (value is not null)
                {
                    overrides[key] = value;
                }
            }

            Set("Etl:JobName", result.GetValue(jobName));
            Set("Etl:Kafka:Topic", result.GetValue(topic));
            Set("Etl:Checkpoints:Directory", result.GetValue(checkpointDir));
            Set("Etl:FromCheckpoint", result.GetValue(fromCheckpoint));
            Set("Etl:StartFresh", result.GetValue(startFresh) ? "true" : null);
            Set("Etl:AllowNonRestoredState", result.GetValue(allowNonRestored) ? "true" : null);
            Set("Etl:StopAtEnd", result.GetValue(stopAtEnd) ? "true" : null);
            Set("Etl:Standby", result.GetValue(standby) ? "true" : null);
            Set("Etl:Parallelism", result.GetValue(parallelism)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set("Etl:Http:Port", result.GetValue(httpPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await RunAsync(job, result.GetValue(config), [.. result.UnmatchedTokens], overrides);
        });
        return command;
    }

    private static async Task<int> RunAsync(HostedJobDefinition job, string? configFile, string[] settingArguments, Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null && !File.Exists(configFile))
        {
            await Console.Error.WriteLineAsync($"etl run: --config '{configFile}' does not exist.");
            return 2;
        }

        builder.Configuration.AddJsonFile(Path.GetFullPath(configFile ?? "appsettings.json"), optional: configFile is null);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine([.. settingArguments.Select(a => a.StartsWith("--", StringComparison.Ordinal) || !a.Contains('=', StringComparison.Ordinal) ? a : "--" + a)]);
        builder.Configuration.AddInMemoryCollection(overrides);

        var settings = new SettingsReader(builder.Configuration);
        var options = WorkerOptionsReader.Read(settings, job.DefaultName);
        FaultPlan? plan = null;
        settings.Check(FaultPlan.Variable, () => plan = FaultPlan.Parse(Environment.GetEnvironmentVariable(FaultPlan.Variable)));

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddSimpleConsole(simple =>
        {
            simple.SingleLine = true;
            simple.UseUtcTimestamp = true;
            simple.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.AddSingleton(options);
        IFaultInjector faults = plan is null ? FaultInjector.None : new KillingFaultInjector(plan);
        builder.Services.AddSingleton(faults);
        builder.Services.AddWorkerMetrics(builder.Configuration, options.JobName);

        JobPlan? jobPlan = null;
        builder.Services.AddSingleton(_ => jobPlan ?? throw new InvalidOperationException("The job is defined before the host starts."));
        builder.Services.AddSingleton<JobService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobService>());
        using var host = builder.Build();

        // The job is defined with the host's logging, before anything runs: its settings problems are reported
        // together with the host's (exit code 2).
        var context = new JobContext(settings, options.JobName, options.Parallelism, options.StopAtEnd, host.Services.GetRequiredService<ILoggerFactory>());
        try
        {
            jobPlan = job.Define(context);
        }
        catch (ArgumentException) when (settings.Problems.Count > 0)
        {
            // Problems were recorded (the host's or the job's) and the job refused to build; they are reported below.
        }
        catch (ArgumentException e)
        {
            settings.Problem("Etl", e.Message.Split(" (Parameter '", 2)[0].TrimEnd('.'), 0);
        }

        if (settings.Problems.Count > 0 || jobPlan is null)
        {
            await Console.Error.WriteLineAsync($"etl run: {new WorkerOptionsException(settings.Problems).Message}");
            return 2;
        }

        if (plan is not null)
        {
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RunCommand)).FaultArmed(SettingParsers.Kebab(plan.Point), plan.Occurrence);
        }

        var service = host.Services.GetRequiredService<JobService>();
        await host.RunAsync();
        return service.ExitCode;
    }
}
