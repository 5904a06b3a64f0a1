namespace Etl.Hosting.Http;

/// <summary>One subtask's back-pressure: total time waited on full channels, and per second over the last seconds.</summary>
internal sealed record SubtaskBackPressureView(int Index, double BackPressuredMs, double BackPressuredMsPerSecond);
