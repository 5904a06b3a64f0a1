namespace Etl.Hosting;

/// <summary>The registered job: its default name and the function that defines it.</summary>
internal sealed record HostedJobDefinition(string DefaultName, Func<JobContext, JobPlan> Define);
