using System.Runtime.InteropServices;
using System.Text;

using Etl.Connectors.Kafka;

namespace Etl.DevServices.Kafka;

/// <summary>
/// An in-process librdkafka mock cluster: real Kafka protocol on loopback ports, data in memory only.
/// Owns a bare librdkafka handle that only hosts the cluster. All calls are thread-safe (librdkafka
/// forwards them to the cluster's own thread).
/// </summary>
internal sealed unsafe class MockKafkaCluster : IDisposable
{
    private readonly IntPtr _handle;
    private IntPtr _cluster;

    private MockKafkaCluster(IntPtr handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(MockClusterNative.ClusterBootstraps(cluster)) ?? "";
    }

    public int BrokerCount { get; }

    /// <summary>Comma-separated host:port list; broker ids are 1..<see cref="BrokerCount"/>.</summary>
    public string BootstrapServers { get; }

    public static MockKafkaCluster Create(int brokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        KafkaNativeLibrary.EnsureLoaded();
        KafkaNativeLibrary.ResolveImportsOf(typeof(MockClusterNative).Assembly);

        const int errSize = 512;
        var errstr = stackalloc byte[errSize];
        var conf = MockClusterNative.ConfNew();
        // The hosting handle never talks to a broker; keep its logs quiet.
        if (MockClusterNative.ConfSet(conf, "log_level", "3", errstr, errSize) != 0)
        {
            throw new MockKafkaException("rd_kafka_conf_set failed: " + Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(errstr)));
        }

        var handle = MockClusterNative.New(MockClusterNative.ProducerType, conf, errstr, errSize);
        if (handle == IntPtr.Zero)
        {
            throw new MockKafkaException("rd_kafka_new failed: " + Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(errstr)));
        }

        var cluster = MockClusterNative.ClusterNew(handle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            MockClusterNative.Destroy(handle);
            throw new MockKafkaException($"rd_kafka_mock_cluster_new failed for {brokerCount} brokers.");
        }

        return new MockKafkaCluster(handle, cluster, brokerCount);
    }

    public void CreateTopic(string name, int partitions, int replicationFactor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        Check(MockClusterNative.TopicCreate(Cluster, name, partitions, replicationFactor), $"create topic '{name}'");
    }

    /// <summary>Deletes a topic and its records; producing to or creating it again starts its offsets at 0.</summary>
    public void DeleteTopic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Check(MockClusterNative.TopicDelete(Cluster, name), $"delete topic '{name}'");
    }

    /// <summary>Metadata requests report this error for the topic (0 clears it), e.g. 5 = LEADER_NOT_AVAILABLE.</summary>
    public void SetTopicError(string name, int error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        MockClusterNative.TopicSetError(Cluster, name, error);
    }

    /// <summary>Delays every response of a broker (-1 = all brokers) by <paramref name="rttMs"/> milliseconds.</summary>
    public void SetBrokerRtt(int brokerId, int rttMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        Check(MockClusterNative.BrokerSetRtt(Cluster, brokerId, rttMs), $"set the RTT of broker {brokerId}");
    }

    /// <summary>Moves a partition's leadership to another broker, as a controller would after a failure.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        Check(MockClusterNative.PartitionSetLeader(Cluster, topic, partition, brokerId), $"move the leader of {topic}[{partition}] to broker {brokerId}");
    }

    /// <summary>Starts (or stops) recording every request the brokers receive; starting clears what was recorded.</summary>
    public void TrackRequests(bool on)
    {
        if (on)
        {
            MockClusterNative.ClearRequests(Cluster);
            MockClusterNative.StartRequestTracking(Cluster);
        }
        else
        {
            MockClusterNative.StopRequestTracking(Cluster);
        }
    }

    /// <summary>The requests recorded since tracking started, oldest first.</summary>
    public IReadOnlyList<MockKafkaRequest> Requests()
    {
        nuint count = 0;
        var requests = MockClusterNative.GetRequests(Cluster, &count);
        if (requests is null)
        {
            return [];
        }

        try
        {
            var list = new List<MockKafkaRequest>((int)count);
            for (nuint i = 0; i < count; i++)
            {
                list.Add(new MockKafkaRequest(
                    MockClusterNative.RequestBrokerId(requests[i]),
                    MockClusterNative.RequestApiKey(requests[i]),
                    MockClusterNative.RequestTimestamp(requests[i])));
            }

            return list;
        }
        finally
        {
            MockClusterNative.RequestDestroyArray(requests, count);
        }
    }

    public void SetBrokerDown(int brokerId) =>
        Check(MockClusterNative.BrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) =>
        Check(MockClusterNative.BrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>
    /// The next <paramref name="errorCodes"/>.Length requests of <paramref name="apiKey"/> (e.g. 0 = Produce)
    /// to any broker fail, in order, with these Kafka error codes (0 = success).
    /// </summary>
    public void PushRequestErrors(short apiKey, IReadOnlyList<int> errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        var codes = errorCodes.ToArray();
        fixed (int* p = codes)
        {
            MockClusterNative.PushRequestErrorsArray(Cluster, apiKey, (nuint)codes.Length, p);
        }
    }

    public void ClearRequestErrors(short apiKey) => MockClusterNative.ClearRequestErrors(Cluster, apiKey);

    public void Dispose()
    {
        if (_cluster == IntPtr.Zero)
        {
            return;
        }

        MockClusterNative.ClusterDestroy(_cluster);
        MockClusterNative.Destroy(_handle);
        _cluster = IntPtr.Zero;
    }

    private IntPtr Cluster
    {
        get
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            return _cluster;
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            var text = Marshal.PtrToStringUTF8(MockClusterNative.ErrorToString(error));
            throw new MockKafkaException($"Mock cluster could not {what}: error {error} ({text}).");
        }
    }
}
