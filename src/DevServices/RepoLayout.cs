namespace Etl.DevServices;

/// <summary>Where the dev commands keep their state: <c>.local/</c> at the repository root.</summary>
internal static class RepoLayout
{
    /// <summary>The nearest directory at or above the current one that holds Etl.sln, else the current directory.</summary>
    public static string Root
    {
        get
        {
            var start = Directory.GetCurrentDirectory();
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
                {
                    return dir.FullName;
                }
            }

            return start;
        }
    }

    public static string LocalDirectory => Path.Combine(Root, ".local");

    public static string ServicesFilePath => Path.Combine(LocalDirectory, "services.env");

    /// <summary>The command line that starts this same etl build again: (file, leading arguments).</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var dll = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? "etl.dll";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? (processPath, [dll])
            : (processPath, []);
    }
}
