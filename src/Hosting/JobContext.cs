using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Etl.Hosting;

/// <summary>
/// What a job definition is given when <c>etl run</c> starts: the host's settings that shape a job graph, the
/// configuration (section <c>Etl</c> and the rest), a <see cref="SettingsReader"/> to read and check the job's own
/// settings (every problem is reported by key together with the host's, exit code 2), and logging.
/// </summary>
public sealed class JobContext
{
    internal JobContext(SettingsReader settings, string jobName, int parallelism, bool stopAtEnd, ILoggerFactory loggerFactory)
    {
        Settings = settings;
        JobName = jobName;
        Parallelism = parallelism;
        StopAtEnd = stopAtEnd;
        LoggerFactory = loggerFactory;
    }

    /// <summary>Reads the job's settings; a problem recorded here stops the start with exit code 2.</summary>
    public SettingsReader Settings { get; }

    /// <summary>The whole configuration (appsettings.json, environment variables, command line).</summary>
    public IConfiguration Configuration => Settings.Configuration;

    /// <summary>The stable job name (Etl:JobName): checkpoint paths, transaction ids and the job lock derive from it.</summary>
    public string JobName { get; }

    /// <summary>Etl:Parallelism: the subtasks each operator of the job should run.</summary>
    public int Parallelism { get; }

    /// <summary>
    /// Etl:StopAtEnd (<c>--stop-at-end</c>): a bounded run. The job's sources should end their input once they have
    /// read what was there at start (for Kafka: <c>Etl.Connectors.Kafka.EndBoundedSource</c>); the job then fires
    /// every window, takes a final checkpoint and <c>etl run</c> exits 0.
    /// </summary>
    public bool StopAtEnd { get; }

    /// <summary>Where the job's operators log.</summary>
    public ILoggerFactory LoggerFactory { get; }
}
