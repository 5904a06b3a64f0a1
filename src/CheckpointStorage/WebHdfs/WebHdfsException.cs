using System.Net;

namespace Etl.CheckpointStorage.WebHdfs;

/// <summary>
/// A WebHDFS request failed. <see cref="RemoteException"/> is Hadoop's exception name from the JSON error body
/// (<c>FileAlreadyExistsException</c>, <c>AccessControlException</c>, ...), null when the answer had none.
/// <see cref="Unclear"/> is true when the request may or may not have been applied (the connection broke after it was
/// sent): the caller must look at the file system before doing anything else.
/// </summary>
public sealed class WebHdfsException : IOException
{
    public WebHdfsException()
    {
    }

    public WebHdfsException(string message) : base(message)
    {
    }

    public WebHdfsException(string message, Exception innerException) : base(message, innerException)
    {
    }

    internal WebHdfsException(string message, HttpStatusCode? status, string? remoteException, bool unclear, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        RemoteException = remoteException;
        Unclear = unclear;
    }

    public HttpStatusCode? Status { get; }

    public string? RemoteException { get; }

    public bool Unclear { get; }
}
