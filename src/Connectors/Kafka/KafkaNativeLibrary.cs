using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Makes Confluent.Kafka 1.9.3 use the system's <c>librdkafka.so.1</c> (Debian's librdkafka1 2.0.2).
/// Call <see cref="EnsureLoaded"/> before building any Kafka client; it is idempotent and thread-safe.
/// </summary>
/// <remarks>
/// Confluent.Kafka's P/Invokes name the library <c>librdkafka</c>, which the runtime probes as
/// <c>librdkafka.so</c>: that file exists only with the <c>librdkafka-dev</c> package. Its own
/// <c>Library.Load(path)</c> does not help on Debian 12: it dlopens through <c>libdl</c>, which exists
/// there only as <c>libdl.so.2</c>, and fails with DllNotFoundException. A DllImport resolver on the
/// Confluent.Kafka assembly maps the name to the runtime package's soname instead.
/// </remarks>
internal static class KafkaNativeLibrary
{
    public const string SoName = "librdkafka.so.1";

    // Guards the one-time resolver registration: SetDllImportResolver throws when called twice.
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>The librdkafka version actually loaded, e.g. "2.0.2".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        // Confluent.Kafka also asks for platform variants (e.g. "centos7-librdkafka"); map them all.
        if (libraryName.EndsWith("librdkafka", StringComparison.Ordinal))
        {
            return NativeLibrary.Load(SoName);
        }

        return IntPtr.Zero;
    }
}
