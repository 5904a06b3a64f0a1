using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Sums a gc-verbose trace's allocation samples (GCAllocationTick, about one per 100 KB) by type: what a run allocates.
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: alloc-report TRACE.nettrace   (a dotnet-trace file taken with --profile gc-verbose)");
    return 2;
}

var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += (GCAllocationTickTraceData e) =>
    {
        var name = e.TypeName ?? "?";
        bytes[name] = bytes.GetValueOrDefault(name) + e.AllocationAmount64;
        total += e.AllocationAmount64;
    };
    source.Process();
}

Console.WriteLine($"allocation samples: {total / 1048576.0:F0} MiB");
foreach (var (name, sampled) in bytes.OrderByDescending(p => p.Value).Take(30))
{
    Console.WriteLine($"{sampled * 100.0 / total,6:F1} %  {name}");
}

return 0;
