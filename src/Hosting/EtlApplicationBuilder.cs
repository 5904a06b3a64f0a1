using System.CommandLine;
using Etl.Hosting.Commands;

namespace Etl.Hosting;

/// <summary>Registers the job (one per program) and any extra commands, then runs the command line.</summary>
public sealed class EtlApplicationBuilder
{
    private readonly string[] _args;
    private readonly List<Command> _commands = [];
    private HostedJobDefinition? _job;

    internal EtlApplicationBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        _args = args;
    }

    /// <summary>The first line of <c>--help</c>.</summary>
    public string Description { get; set; } = "An exactly-once stream ETL job hosted by Etl.";

    /// <summary>
    /// Registers the job <c>etl run</c> runs. <paramref name="define"/> is called once per <c>etl run</c>, after the
    /// host's settings are read: it reads the job's own settings from <see cref="JobContext.Settings"/> and returns
    /// the <see cref="JobPlan"/> (graph, lock database, ...). A job whose settings have problems records them on
    /// <see cref="JobContext.Settings"/> and throws <see cref="ArgumentException"/>: the host reports every recorded
    /// problem by key (or else the exception's message) as bad configuration, exit code 2.
    /// </summary>
    /// <param name="defaultName">The job name when Etl:JobName (<c>--job</c>) is not set.</param>
    public EtlApplicationBuilder AddJob(string defaultName, Func<JobContext, JobPlan> define)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultName);
        ArgumentNullException.ThrowIfNull(define);
        if (_job is not null)
        {
            throw new InvalidOperationException($"A job ('{_job.DefaultName}') is already registered: one program hosts one job.");
        }

        _job = new HostedJobDefinition(defaultName, define);
        return this;
    }

    /// <summary>Adds a command beside the host's verbs (for example a sample's <c>demo</c> commands).</summary>
    public EtlApplicationBuilder AddCommand(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _commands.Add(command);
        return this;
    }

    /// <summary>Parses the arguments and runs the chosen verb; returns the process exit code.</summary>
    public Task<int> RunAsync()
    {
        var job = _job ?? throw new InvalidOperationException("No job registered: call AddJob before RunAsync.");
        var root = new RootCommand(Description);
        root.Subcommands.Add(RunCommand.Create(job));
        root.Subcommands.Add(CheckpointsCommand.Create());
        foreach (var command in EndpointCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in _commands)
        {
            root.Subcommands.Add(command);
        }

        // `run` hosts the job in the generic host, which handles SIGTERM itself (stop with savepoint);
        // System.CommandLine's own handler would end the process 2 s after SIGTERM.
        var configuration = new InvocationConfiguration();
        if (_args.Length > 0 && _args[0] == "run")
        {
            configuration.ProcessTerminationTimeout = null;
        }

        return root.Parse(_args).InvokeAsync(configuration);
    }
}
