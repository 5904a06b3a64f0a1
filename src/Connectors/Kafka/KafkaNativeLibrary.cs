using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Chooses, loads and checks the native librdkafka that Confluent.Kafka and the mock cluster bindings use.
/// By default that is the build bundled by the <c>librdkafka.redist</c> package, and loading fails unless
/// its version is the one this assembly was built against: the client never silently runs on whatever
/// librdkafka the machine happens to have. <see cref="Use"/> picks another library before the first load.
/// Call <see cref="EnsureLoaded"/> before building any Kafka client; it is idempotent and thread-safe.
/// </summary>
/// <remarks>
/// Why by hand: Confluent.Kafka 2.16 tries the redist's <c>librdkafka.so</c> first, which needs
/// <c>libsasl2.so.3</c> (Debian 12 has only <c>libsasl2.so.2</c>); when that fails the .NET loader falls
/// back to any system <c>librdkafka.so</c> and the client runs, say, Debian's 2.0.2 without a word. Its own
/// <c>Library.Load(path)</c> fails on Debian 12 (it looks for <c>libdl</c>, which exists only as
/// <c>libdl.so.2</c>). A DllImport resolver on the Confluent.Kafka assembly (and on this one, for the mock
/// cluster bindings, see <see cref="ResolveImportsOf"/>) maps every librdkafka name to the one handle loaded here.
/// </remarks>
public static class KafkaNativeLibrary
{
    /// <summary>The name other bindings of librdkafka import (see <see cref="ResolveImportsOf"/>); the resolver maps it like Confluent.Kafka's.</summary>
    public const string ImportName = "librdkafka";

    // Guards the one-time choice, load and resolver registration (SetDllImportResolver throws when called twice).
    private static readonly Lock Gate = new();
    private static KafkaNativeLibraryChoice _choice = KafkaNativeLibraryChoice.Bundled;
    private static IntPtr _handle;
    private static string? _path;
    private static string? _version;
    private static readonly HashSet<Assembly> Resolved = [];

    /// <summary>The librdkafka version of the bundled build, from the <c>librdkafka.redist</c> package reference.</summary>
    public static string BundledVersion { get; } =
        typeof(KafkaNativeLibrary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LibrdkafkaVersion").Value
        ?? throw new InvalidOperationException("The LibrdkafkaVersion assembly metadata is missing.");

    /// <summary>
    /// Chooses the native library for this process. Must be called before the first load; calling it again
    /// with the same choice is harmless, with another one after the load an error.
    /// </summary>
    public static void Use(KafkaNativeLibraryChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        lock (Gate)
        {
            if (_handle != IntPtr.Zero && choice != _choice)
            {
                throw new InvalidOperationException($"librdkafka is already loaded from {_path}; it cannot be switched to {choice} in this process.");
            }

            _choice = choice;
        }
    }

    /// <summary>Loads and checks the chosen library once; throws <see cref="KafkaNativeLibraryException"/> when it cannot.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_version is not null)
            {
                return;
            }

            if (_handle == IntPtr.Zero)
            {
                (_handle, _path) = Load(_choice);
                Register(typeof(Library).Assembly);
            }

            var version = Library.VersionString;
            if (_choice.Kind == KafkaNativeLibraryKind.Bundled && version != BundledVersion)
            {
                throw new KafkaNativeLibraryException(
                    $"{_path} reports librdkafka {version}, but this build bundles {BundledVersion}. "
                    + "Restore the librdkafka.redist package again, or choose the system library explicitly (Etl:Kafka:NativeLibrary=system).");
            }

            _version = version;
        }
    }

    /// <summary>
    /// Makes <paramref name="assembly"/>'s own bindings of librdkafka (imports of <see cref="ImportName"/>, such as
    /// the local mock cluster's) resolve to the library loaded here, so that they and Confluent.Kafka share one
    /// librdkafka. Idempotent; call it before the assembly's first librdkafka call.
    /// </summary>
    public static void ResolveImportsOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (Gate)
        {
            Register(assembly);
        }
    }

    // Under Gate. SetDllImportResolver throws when called twice for one assembly.
    private static void Register(Assembly assembly)
    {
        if (Resolved.Add(assembly))
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
    }

    /// <summary>The librdkafka version actually loaded, e.g. "2.16.0".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return _version!;
        }
    }

    /// <summary>The file the library was loaded from (or the soname for the system library).</summary>
    public static string LoadedFrom
    {
        get
        {
            EnsureLoaded();
            return _path!;
        }
    }

    /// <summary>One line for logs: the managed client's version, then librdkafka's version, choice and file.</summary>
    public static string Description =>
        $"Confluent.Kafka {typeof(Library).Assembly.GetName().Version?.ToString(3)}, librdkafka {Version} ({_choice}, {LoadedFrom})";

    private static (IntPtr Handle, string Path) Load(KafkaNativeLibraryChoice choice)
    {
        var candidates = choice.Kind switch
        {
            KafkaNativeLibraryKind.Bundled => BundledCandidates(),
            KafkaNativeLibraryKind.System => ["librdkafka.so.1", "librdkafka.so"],
            KafkaNativeLibraryKind.File => [choice.Path!],
            _ => throw new ArgumentOutOfRangeException(nameof(choice)),
        };

        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                return (NativeLibrary.Load(candidate), candidate);
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate}: {e.Message}");
            }
        }

        var hint = choice.Kind == KafkaNativeLibraryKind.Bundled
            ? "Is the librdkafka.redist package restored next to the application? To run on the system's librdkafka instead, set Etl:Kafka:NativeLibrary=system."
            : "Install librdkafka or choose the bundled build (Etl:Kafka:NativeLibrary=bundled).";
        throw new KafkaNativeLibraryException($"No {choice} librdkafka could be loaded. {hint} Tried:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}");
    }

    // The redist's builds for this platform, best first. A plain build copies them under runtimes/<rid>/native;
    // a publish for a runtime identifier puts them next to the application.
    private static List<string> BundledCandidates()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => throw new KafkaNativeLibraryException($"librdkafka.redist bundles no Linux build for {other}; set Etl:Kafka:NativeLibrary=system."),
        };
        if (!OperatingSystem.IsLinux())
        {
            throw new KafkaNativeLibraryException("Etl loads the bundled librdkafka on Linux only; set Etl:Kafka:NativeLibrary to a library file elsewhere.");
        }

        // The default build needs libsasl2.so.3 (Debian 12 lacks it); centos8's needs only glibc <= 2.28; alpine's needs musl.
        string[] files = IsMusl() ? ["alpine-librdkafka.so"] : ["librdkafka.so", "centos8-librdkafka.so"];
        string[] directories = [Path.Combine(AppContext.BaseDirectory, "runtimes", $"linux-{arch}", "native"), AppContext.BaseDirectory];
        return [.. files.SelectMany(file => directories.Select(dir => Path.Combine(dir, file)))];
    }

    private static bool IsMusl() =>
        Directory.Exists("/lib") && Directory.EnumerateFiles("/lib", "ld-musl-*").Any();

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        // Confluent.Kafka also asks for platform variants (e.g. "centos8-librdkafka"); map them all to the one handle.
        libraryName.EndsWith(ImportName, StringComparison.Ordinal) ? _handle : IntPtr.Zero;
}
