using System.Diagnostics;
using System.Reflection;
using System.Text;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Integration.Kafka;
using Xunit.Abstractions;

namespace Etl.Tests.Integration.Packages;

/// <summary>
/// The libraries as someone outside this repository gets them: packed into a local folder feed, referenced by a fresh
/// project in a temporary directory (its own nuget.config: the feed, plus the usual sources), whose Program.cs hosts a
/// small job with Etl.Hosting and runs it bounded (<c>run --stop-at-end</c>) on the Kafka and PostgreSQL under test.
/// Only the packages' public API is in reach of that project.
/// </summary>
public sealed class PackagedLibraryTests(ITestOutputHelper output)
{
    private static readonly string[] PackageIds = ["Etl.Pipeline", "Etl.TwoPhaseCommit", "Etl.Connectors", "Etl.CheckpointStorage", "Etl.Hosting"];
    private static readonly long Base = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task PackedLibraries_InAFreshProjectOutsideTheRepo_HostAWordCountJobThatRunsToTheEnd()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromMinutes(10)).Token;
        var work = Directory.CreateTempSubdirectory("etl-packages-");
        try
        {
            var configuration = typeof(PackagedLibraryTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var feed = Path.Combine(work.FullName, "feed");
            var clock = Stopwatch.StartNew();
            foreach (var project in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
                .Where(p => PackageIds.Contains(Path.GetFileNameWithoutExtension(p))))
            {
                await DotnetAsync(RepoPaths.Root, ["pack", project, "-c", configuration, "--no-build", "-o", feed], ct);
            }

            var packages = Directory.GetFiles(feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            output.WriteLine($"packed in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", packages)}");
            var version = Path.GetFileNameWithoutExtension(packages.Single(p => p!.StartsWith("Etl.Connectors.", StringComparison.Ordinal) && p.EndsWith(".nupkg", StringComparison.Ordinal)))!["Etl.Connectors.".Length..];
            foreach (var library in PackageIds)
            {
                Assert.Contains($"{library}.{version}.nupkg", packages);
                Assert.Contains($"{library}.{version}.snupkg", packages);
            }

            var consumer = Path.Combine(work.FullName, "consumer");
            WriteConsumer(consumer, feed, Path.Combine(work.FullName, "packages"), version);
            clock.Restart();
            await DotnetAsync(consumer, ["build", "-c", "Release"], ct);
            output.WriteLine($"restored and built the consumer in {clock.Elapsed.TotalSeconds:F1} s");

            var topic = await TestTopics.CreateAsync(1, ct, "packages");
            await using var schema = await TestSchema.CreateAsync(ct);
            await schema.ExecuteAsync($"CREATE TABLE {schema.Name}.word_counts (word text, window_start timestamptz, n bigint NOT NULL, PRIMARY KEY (word, window_start))", ct);
            string[] lines = ["to be or", "not to be", "later"];
            long[] seconds = [1, 2, 3_600];
            await KafkaSourceTestKit.ProduceAsync(topic, 0, lines, ct, i => Base + (seconds[i] * 1000));

            clock.Restart();
            var log = await DotnetAsync(
                consumer,
                ["run", "-c", "Release", "--no-build", "--", "run", "--stop-at-end"],
                ct,
                new Dictionary<string, string>
                {
                    ["Etl__JobName"] = $"package-consumer-{schema.Name}",
                    ["Etl__Kafka__BootstrapServers"] = TestServices.KafkaBootstrapServers,
                    ["Etl__Kafka__Topic"] = topic,
                    ["Etl__Postgres__ConnectionString"] = schema.ConnectionString,
                    ["Etl__Postgres__SinkSchema"] = schema.Name,
                    ["Etl__Checkpoints__Directory"] = Path.Combine(work.FullName, "checkpoints"),
                    ["Etl__Checkpoints__Interval"] = "200ms",
                    ["Etl__Http__Port"] = "0",
                });
            output.WriteLine($"ran the job in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Contains("finished: checkpoint", log, StringComparison.Ordinal);

            // The end of the input fires every window, the one of "later" too.
            Assert.Equal(
                "be 2|not 1|or 1|to 2",
                await schema.ScalarAsync($"SELECT string_agg(word || ' ' || n, '|' ORDER BY word) FROM {schema.Name}.word_counts WHERE window_start = to_timestamp({Base / 1000})", ct));
            Assert.Equal(
                "later 1",
                await schema.ScalarAsync($"SELECT string_agg(word || ' ' || n, '|') FROM {schema.Name}.word_counts WHERE window_start = to_timestamp({(Base / 1000) + 3_600})", ct));
            Assert.Equal(5L, await schema.ScalarAsync($"SELECT count(*) FROM {schema.Name}.word_counts", ct));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A console project that references Etl.Hosting (and through it the other packages) from <paramref name="feed"/>. Its
    /// packages go to a folder of its own, so a package of the same version packed earlier is never taken from the
    /// machine's cache; the machine's cache is offered as a source beside the usual ones, so third-party packages
    /// restore without downloading them again.
    /// </summary>
    private static void WriteConsumer(string directory, string feed, string packagesFolder, string version)
    {
        Directory.CreateDirectory(directory);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packagesFolder}" />
              </config>
              <packageSources>
                <add key="etl-local" value="{feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Etl.Hosting" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Packages", "Consumer"), "*.cs"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }
    }

    /// <summary>Runs dotnet with <paramref name="arguments"/> (and <paramref name="environment"/> on top of this process's); asserts exit 0, returns the output.</summary>
    private static async Task<string> DotnetAsync(string directory, IReadOnlyList<string> arguments, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild's environment; a child build must find its own SDK and settings.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, log);
        var stderr = PumpAsync(process.StandardError, log);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(stdout, stderr);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} in {directory} exited {process.ExitCode}:\n{log}");
        return log.ToString();
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
