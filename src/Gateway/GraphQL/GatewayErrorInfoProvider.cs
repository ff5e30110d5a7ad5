using GraphQL;
using GraphQL.Execution;

namespace Gateway.GraphQL;

/// <summary>
/// Shapes every error as HotChocolate-style clients expect: a message and
/// <c>extensions.code</c>, plus the gateway's own extensions. Never a stack trace or
/// exception detail: those stay in the server log.
/// </summary>
public sealed class GatewayErrorInfoProvider : IErrorInfoProvider
{
    /// <inheritdoc />
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = executionError switch
            {
                // GraphQL.NET's depth and cost limits, under the name clients know.
                global::GraphQL.Validation.Errors.Custom.ComplexityError => ErrorCodes.QueryTooComplex,
                _ => executionError.Code ?? ErrorCodes.InternalServerError,
            },
        };
        if (executionError is GatewayError { ExtraExtensions: { } extra })
        {
            foreach (var (key, value) in extra)
            {
                extensions[key] = value;
            }
        }

        return new ErrorInfo { Message = executionError.Message, Extensions = extensions };
    }
}
