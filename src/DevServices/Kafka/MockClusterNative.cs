using System.Runtime.InteropServices;

using Etl.Connectors.Kafka;

namespace Etl.DevServices.Kafka;

/// <summary>P/Invoke bindings for librdkafka's mock cluster (rdkafka_mock.h, librdkafka 2.16).</summary>
internal static unsafe partial class MockClusterNative
{
    private const string Lib = KafkaNativeLibrary.ImportName;

    public const int ProducerType = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    public static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    public static partial IntPtr New(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(IntPtr rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial IntPtr ClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void ClusterDestroy(IntPtr mcluster);

    /// <summary>Returns a string owned by the cluster: do not free it.</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial IntPtr ClusterBootstraps(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreate(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int BrokerSetDown(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int BrokerSetUp(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_delete", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicDelete(IntPtr mcluster, string topic);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_set_error", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void TopicSetError(IntPtr mcluster, string topic, int error);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int BrokerSetRtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PartitionSetLeader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_start_request_tracking")]
    public static partial void StartRequestTracking(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_stop_request_tracking")]
    public static partial void StopRequestTracking(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_requests")]
    public static partial void ClearRequests(IntPtr mcluster);

    /// <summary>An array of <paramref name="count"/> request handles; free it with <see cref="RequestDestroyArray"/>.</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_get_requests")]
    public static partial IntPtr* GetRequests(IntPtr mcluster, nuint* count);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_request_id")]
    public static partial int RequestBrokerId(IntPtr request);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_request_api_key")]
    public static partial short RequestApiKey(IntPtr request);

    /// <summary>Microseconds (librdkafka's monotonic clock) at which the request was received.</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_request_timestamp")]
    public static partial long RequestTimestamp(IntPtr request);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_request_destroy_array")]
    public static partial void RequestDestroyArray(IntPtr* requests, nuint count);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void PushRequestErrorsArray(IntPtr mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void ClearRequestErrors(IntPtr mcluster, short apiKey);

    /// <summary>Returns a static string: do not free it.</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_err2str")]
    public static partial IntPtr ErrorToString(int error);
}
