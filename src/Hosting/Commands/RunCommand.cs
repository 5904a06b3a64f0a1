using System.CommandLine;
using Etl.Connectors.Kafka;
using Etl.Pipeline.Faults;
using Etl.Worker.Configuration;
using Etl.Worker.Faults;
using Etl.Worker.Job;
using Etl.Worker.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etl.Worker.Commands;

/// <summary>
/// <c>etl run</c>: the order-total worker as a generic-host service. Configuration, lowest to highest
/// priority: appsettings.json beside etl.dll, appsettings.json in the working directory (or --config),
/// environment variables (Etl__Window__Size), <c>Etl:Key=Value</c> arguments, then the named options below.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "A JSON settings file (default: appsettings.json in the working directory, if present)." };
        var job = new Option<string>("--job") { Description = "Job name (Etl:JobName)." };
        var topic = new Option<string>("--topic") { Description = "Input topic (Etl:Kafka:Topic)." };
        var checkpointDir = new Option<string>("--checkpoint-dir") { Description = "Checkpoint directory (Etl:Checkpoints:Directory)." };
        var fromCheckpoint = new Option<string>("--from-checkpoint") { Description = "Restore from this checkpoint or savepoint (a chk-N or savepoint directory, or its _metadata)." };
        var startFresh = new Option<bool>("--start-fresh")
        {
            Description = "Start from nothing although checkpoints, savepoints or committed epochs of the job exist (refused without it); checkpoint ids continue after the highest seen (Etl:StartFresh).",
        };
        var allowNonRestored = new Option<bool>("--allow-non-restored-state") { Description = "Restore even if the checkpoint has state of operators this job no longer has, or windows configured differently (that state is dropped)." };
        var stopAtEnd = new Option<bool>("--stop-at-end") { Description = "Bounded run: stop with a final checkpoint once the input present at start has been read." };
        var parallelism = new Option<int?>("--parallelism") { Description = "Subtasks per operator (Etl:Parallelism)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Port of the health/metrics/status/savepoint endpoint; 0 picks one, -1 disables (Etl:Http:Port)." };
        var command = new Command("run", "Run the order-total job until SIGTERM (stop with savepoint), end of input (--stop-at-end), or failure. Extra Etl:Key=Value arguments set any setting.")
        {
            config, job, topic, checkpointDir, fromCheckpoint, startFresh, allowNonRestored, stopAtEnd, parallelism, httpPort,
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

            Set("Etl:JobName", result.GetValue(job));
            Set("Etl:Kafka:Topic", result.GetValue(topic));
            Set("Etl:Checkpoints:Directory", result.GetValue(checkpointDir));
            Set("Etl:FromCheckpoint", result.GetValue(fromCheckpoint));
            Set("Etl:StartFresh", result.GetValue(startFresh) ? "true" : null);
            Set("Etl:AllowNonRestoredState", result.GetValue(allowNonRestored) ? "true" : null);
            Set("Etl:StopAtEnd", result.GetValue(stopAtEnd) ? "true" : null);
            Set("Etl:Parallelism", result.GetValue(parallelism)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set("Etl:Http:Port", result.GetValue(httpPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await RunAsync(result.GetValue(config), [.. result.UnmatchedTokens], overrides);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, string[] settingArguments, Dictionary<string, string?> overrides)
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

        WorkerOptions options;
        FaultPlan? plan;
        try
        {
            options = WorkerOptionsReader.Read(builder.Configuration);
            plan = FaultPlan.Parse(Environment.GetEnvironmentVariable(FaultPlan.Variable));
        }
        catch (WorkerOptionsException e)
        {
            await Console.Error.WriteLineAsync($"etl run: {e.Message}");
            return 2;
        }

        // The Kafka client is chosen and checked before anything runs: a worker on an unexpected librdkafka
        // is an installation error, reported at start, not a silent fallback.
        try
        {
            KafkaNativeLibrary.Use(options.Kafka.NativeLibrary);
            KafkaNativeLibrary.EnsureLoaded();
        }
        catch (KafkaNativeLibraryException e)
        {
            await Console.Error.WriteLineAsync($"etl run: Etl:Kafka:NativeLibrary: {e.Message}");
            return 2;
        }

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
        FaultInjector.Current = faults;
        builder.Services.AddSingleton(faults);
        builder.Services.AddWorkerMetrics(builder.Configuration, options.JobName);
        builder.Services.AddSingleton<OrderTotalsService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OrderTotalsService>());

        using var host = builder.Build();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RunCommand)).KafkaClientLoaded(KafkaNativeLibrary.Description);
        if (plan is not null)
        {
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RunCommand)).FaultArmed(SettingParsers.Kebab(plan.Point), plan.Occurrence);
        }

        var service = host.Services.GetRequiredService<OrderTotalsService>();
        await host.RunAsync();
        return service.ExitCode;
    }
}
