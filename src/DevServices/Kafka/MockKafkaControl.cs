using System.Globalization;
using System.Net.Http.Json;

namespace Etl.DevServices.Kafka;

/// <summary>
/// Client for the loopback HTTP control endpoint of <c>etl dev kafka</c> (see docs/local-services.md).
/// Every call throws <see cref="MockKafkaException"/> with the host's message when the host refuses it.
/// </summary>
public sealed class MockKafkaControl : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="endpoint">Base address, e.g. <c>http://127.0.0.1:45123/</c> (the value of ETL_KAFKA_CONTROL).</param>
    public MockKafkaControl(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Endpoint => _http.BaseAddress!;

    public async Task<MockKafkaHealth> GetHealthAsync(CancellationToken cancellationToken)
    {
        var health = await _http.GetFromJsonAsync("health", MockKafkaJsonContext.Default.MockKafkaHealth, cancellationToken);
        return health ?? throw new MockKafkaException("The mock Kafka host answered /health with an empty body.");
    }

    public Task CreateTopicAsync(string name, int partitions, int replicationFactor, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"topics?name={Uri.EscapeDataString(name)}&partitions={partitions}&replicationFactor={replicationFactor}", cancellationToken);

    public Task SetBrokerDownAsync(int brokerId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"brokers/{brokerId}/down", cancellationToken);

    public Task SetBrokerUpAsync(int brokerId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"brokers/{brokerId}/up", cancellationToken);

    /// <summary>The next requests with this Kafka API key (0 = Produce, 1 = Fetch, ...) fail with these error codes, in order.</summary>
    public Task PushRequestErrorsAsync(short apiKey, IReadOnlyList<int> errorCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        var codes = string.Join(',', errorCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        return SendAsync(HttpMethod.Post, $"request-errors?apiKey={apiKey}&errors={codes}", cancellationToken);
    }

    public Task ClearRequestErrorsAsync(short apiKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"request-errors?apiKey={apiKey}", cancellationToken);

    /// <summary>Deletes a topic with its records (a later create starts its offsets at 0 again).</summary>
    public Task DeleteTopicAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"topics/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Metadata requests report Kafka error <paramref name="code"/> for the topic (0 clears it).</summary>
    public Task SetTopicErrorAsync(string name, int code, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"topics/{Uri.EscapeDataString(name)}/error?code={code}", cancellationToken);

    /// <summary>Delays every response of a broker (-1 = all brokers) by <paramref name="milliseconds"/>.</summary>
    public Task SetBrokerRttAsync(int brokerId, int milliseconds, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"brokers/{brokerId}/rtt?ms={milliseconds}", cancellationToken);

    /// <summary>Moves the leadership of one partition to <paramref name="brokerId"/>.</summary>
    public Task SetPartitionLeaderAsync(string topic, int partition, int brokerId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"partitions/{Uri.EscapeDataString(topic)}/{partition}/leader?broker={brokerId}", cancellationToken);

    /// <summary>Starts recording the requests every broker receives (clearing earlier ones), or stops.</summary>
    public Task TrackRequestsAsync(bool on, CancellationToken cancellationToken) =>
        SendAsync(on ? HttpMethod.Post : HttpMethod.Delete, "requests/tracking", cancellationToken);

    /// <summary>The requests recorded since tracking started, oldest first.</summary>
    public async Task<IReadOnlyList<MockKafkaRequest>> GetRequestsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync("requests", MockKafkaJsonContext.Default.MockKafkaRequestArray, cancellationToken)
        ?? throw new MockKafkaException("The mock Kafka host answered /requests with an empty body.");

    /// <summary>Asks the host process to destroy the cluster and exit.</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "shutdown", cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new MockKafkaException($"{method} {path} on the mock Kafka host failed ({(int)response.StatusCode}): {body}");
        }
    }
}
