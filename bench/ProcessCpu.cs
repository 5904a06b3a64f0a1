using System.Diagnostics;

namespace Etl.Bench;

/// <summary>CPU time of this process, every thread (librdkafka's and Npgsql's included); PostgreSQL's own CPU is not in it.</summary>
internal static class ProcessCpu
{
    public static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
