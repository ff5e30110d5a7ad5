namespace Gateway.Paging;

/// <summary>Why paging arguments were refused; each maps to one GraphQL error code.</summary>
public enum PagingError
{
    /// <summary><c>first</c> with <c>last</c>, or a negative size (BAD_USER_INPUT).</summary>
    BadArguments,
    /// <summary><c>first</c> or <c>last</c> above Paging:MaxPageSize (PAGE_SIZE_EXCEEDED).</summary>
    PageSizeExceeded,
    /// <summary>A cursor this gateway did not issue for this query (INVALID_CURSOR).</summary>
    InvalidCursor,
}

/// <summary>A paging request that cannot be served as asked; the message names the argument.</summary>
public sealed class PagingException : Exception
{
    /// <summary>A refusal of the given kind.</summary>
    /// <param name="error">Why; decides the error code.</param>
    /// <param name="message">Shown to the caller; names the argument and the limit.</param>
    public PagingException(PagingError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>A generic <see cref="PagingError.BadArguments"/> refusal.</summary>
    public PagingException()
        : this(PagingError.BadArguments, "Invalid paging arguments.")
    {
    }

    /// <summary>A <see cref="PagingError.BadArguments"/> refusal.</summary>
    /// <param name="message">Shown to the caller; names the argument.</param>
    public PagingException(string message)
        : this(PagingError.BadArguments, message)
    {
    }

    /// <summary>A <see cref="PagingError.BadArguments"/> refusal caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">Shown to the caller; names the argument.</param>
    /// <param name="innerException">The cause, for the server log only.</param>
    public PagingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = PagingError.BadArguments;
    }

    /// <summary>Why the arguments were refused; mapped to BAD_USER_INPUT, PAGE_SIZE_EXCEEDED or INVALID_CURSOR.</summary>
    public PagingError Error { get; }
}
