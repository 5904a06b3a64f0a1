using System.Reflection;

namespace Etl.Tests.Integration.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The directory holding Etl.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string ServicesFile => Path.Combine(Root, ".local", "services.env");

    /// <summary>etl.dll of the same configuration as this test assembly (samples/OrderTotals/bin/CONFIG/net10.0), else the copy beside the tests.</summary>
    public static string EtlDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var built = Path.Combine(Root, "samples", "OrderTotals", "bin", configuration, framework, "etl.dll");
            if (File.Exists(built))
            {
                return built;
            }

            var beside = Path.Combine(AppContext.BaseDirectory, "etl.dll");
            return File.Exists(beside)
                ? beside
                : throw new InvalidOperationException($"etl.dll not found at {built} or {beside}: build the solution first (dotnet build -c {configuration}).");
        }
    }

    /// <summary>The crash test host of the same configuration as this test assembly, built next to it (tests/host/bin/CONFIG/TFM).</summary>
    public static string HostDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var dll = Path.Combine(Root, "tests", "host", "bin", configuration, framework, "Etl.Tests.Host.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build tests/host ({configuration}).");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Etl.sln above {AppContext.BaseDirectory}.");
    }
}
