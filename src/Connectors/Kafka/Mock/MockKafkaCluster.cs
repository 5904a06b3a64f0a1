using System.Runtime.InteropServices;
using System.Text;

namespace Etl.Connectors.Kafka.Mock;

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
