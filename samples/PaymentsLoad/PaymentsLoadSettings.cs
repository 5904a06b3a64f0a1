using Etl.Hosting;

namespace Etl.Samples.PaymentsLoad;

/// <summary>
/// The job's own settings; the host reads the rest (Etl:JobName, Etl:Parallelism, Etl:Checkpoints, ...). The libraries
/// check their own rules when the job is defined (<see cref="PaymentsLoadJob"/>); KAFKA_BOOTSTRAP_SERVERS and ETL_POSTGRES
/// (what <c>etl dev up</c> writes to .local/services.env) fill in the connections when the Etl keys are absent.
/// </summary>
/// <param name="BootstrapServers">Etl:Kafka:BootstrapServers.</param>
/// <param name="Topic">Etl:Kafka:Topic: the topic of JSON payments.</param>
/// <param name="ConnectionString">Etl:Postgres:ConnectionString (Npgsql).</param>
/// <param name="Table">Etl:Postgres:Table: the payments table, created if missing.</param>
/// <param name="SinkSchema">Etl:Postgres:SinkSchema: the sink's own tables (commit markers, dead letters).</param>
internal sealed record PaymentsLoadSettings(string BootstrapServers, string Topic, string ConnectionString, string Table, string SinkSchema)
{
    public static PaymentsLoadSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var settings = new PaymentsLoadSettings(
            reader.Text("Etl:Kafka:BootstrapServers", reader.Configuration["KAFKA_BOOTSTRAP_SERVERS"] ?? ""),
            reader.Text("Etl:Kafka:Topic", "payments"),
            reader.Text("Etl:Postgres:ConnectionString", reader.Configuration["ETL_POSTGRES"] ?? ""),
            reader.Text("Etl:Postgres:Table", "public.payments"),
            reader.Text("Etl:Postgres:SinkSchema", "etl"));
        if (settings.BootstrapServers.Length == 0)
        {
            reader.Problem("Etl:Kafka:BootstrapServers", "is required (host:port[,host:port...]); KAFKA_BOOTSTRAP_SERVERS is used when it is not set", 0);
        }

        if (settings.ConnectionString.Length == 0)
        {
            reader.Problem("Etl:Postgres:ConnectionString", "is required (an Npgsql connection string); ETL_POSTGRES is used when it is not set", 0);
        }

        return settings;
    }
}
