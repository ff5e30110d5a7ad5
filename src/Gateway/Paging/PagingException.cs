namespace Gateway.Paging;

public enum PagingError
{
    BadArguments,
    PageSizeExceeded,
    InvalidCursor,
}

/// <summary>A paging request that cannot be served as asked; the message names the argument.</summary>
public sealed class PagingException : Exception
{
    public PagingException(PagingError error, string message)
        : base(message)
    {
        Error = error;
    }

    public PagingException()
        : this(PagingError.BadArguments, "Invalid paging arguments.")
    {
    }

    public PagingException(string message)
        : this(PagingError.BadArguments, message)
    {
    }

    public PagingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = PagingError.BadArguments;
    }

    public PagingError Error { get; }
}
