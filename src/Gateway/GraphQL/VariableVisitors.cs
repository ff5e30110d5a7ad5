using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>Several rules' variable visitors as one, each called in the rules' order (the library's own composite is internal).</summary>
internal sealed class VariableVisitors(List<IVariableVisitor> visitors) : IVariableVisitor
{
    public async ValueTask VisitScalarAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, ScalarGraphType type, object? variableValue, object? parsedValue)
    {
        foreach (var visitor in visitors)
        {
            await visitor.VisitScalarAsync(context, variable, variableName, type, variableValue, parsedValue);
        }
    }

    public async ValueTask VisitListAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, ListGraphType type, object? variableValue, IList<object?>? parsedValue)
    {
        foreach (var visitor in visitors)
        {
            await visitor.VisitListAsync(context, variable, variableName, type, variableValue, parsedValue);
        }
    }

    public async ValueTask VisitObjectAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, IInputObjectGraphType type, object? variableValue, object? parsedValue)
    {
        foreach (var visitor in visitors)
        {
            await visitor.VisitObjectAsync(context, variable, variableName, type, variableValue, parsedValue);
        }
    }

    public async ValueTask VisitFieldAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, IInputObjectGraphType type, FieldType field, object? variableValue, object? parsedValue)
    {
        foreach (var visitor in visitors)
        {
            await visitor.VisitFieldAsync(context, variable, variableName, type, field, variableValue, parsedValue);
        }
    }
}
