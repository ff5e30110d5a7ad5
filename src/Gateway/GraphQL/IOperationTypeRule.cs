using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>
/// A validation rule that looks at nothing but the type of the operation being run (a
/// transport's "GET runs queries only", "no subscription over plain HTTP"). On a cached document
/// whose operations are all of types it accepts, it has nothing to refuse, so
/// <see cref="ValidatedDocumentCache"/> leaves it out.
/// </summary>
public interface IOperationTypeRule : IValidationRule
{
    /// <summary>Whether an operation of this type passes the rule.</summary>
    bool Accepts(OperationType operation);
}
