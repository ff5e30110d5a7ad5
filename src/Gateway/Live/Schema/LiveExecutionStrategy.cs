using Gateway.GraphQL;
using GraphQL;
using GraphQL.Execution;

namespace Gateway.Live.Schema;

/// <summary>
/// GraphQL.NET's subscription execution, with one addition: a <see cref="LiveFault"/> in the
/// source stream becomes an event with the fault's coded error and no data, instead of ending
/// the stream (transient upstream failures are reported without ending the subscription).
/// </summary>
public sealed class LiveExecutionStrategy : SubscriptionExecutionStrategy
{
    /// <inheritdoc />
    protected override ValueTask<ExecutionResult> ProcessDataAsync(global::GraphQL.Execution.ExecutionContext context, ExecutionNode node, object? value)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(context);
        if (value is not LiveFault fault)
        {
            return base.ProcessDataAsync(context, node, value);
        }

        var error = new GatewayError(fault.Code, fault.Message, fault.Extensions) { Path = node.ResponsePath };
        error.AddLocation(node.Field, context.Document);
        var result = new ExecutionResult { Executed = true };
        result.AddError(error);
        return ValueTask.FromResult(result);
    }
}
