using GraphQL;

namespace Gateway.GraphQL;

/// <summary>A GraphQL error with a stable code and, optionally, machine-readable extensions beside it.</summary>
public sealed class GatewayError : ExecutionError
{
    public GatewayError(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        ExtraExtensions = extensions;
    }

    public GatewayError(string message)
        : this(ErrorCodes.InternalServerError, message)
    {
    }

    public GatewayError(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InternalServerError;
    }

    public GatewayError()
        : this(ErrorCodes.InternalServerError, "Internal server error.")
    {
    }

    public IReadOnlyDictionary<string, object?>? ExtraExtensions { get; }
}
