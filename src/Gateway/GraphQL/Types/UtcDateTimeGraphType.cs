using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Gateway.GraphQL.Types;

/// <summary>
/// HotChocolate's <c>DateTime</c>: ISO-8601. Output is always UTC with milliseconds
/// (2022-08-25T07:41:21.000Z), matching the upstream's millisecond epoch values exactly;
/// input must carry an offset or 'Z', so a filter never depends on the server's time zone.
/// </summary>
public sealed class UtcDateTimeGraphType : ScalarGraphType
{
    private const string OutputFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <inheritdoc />
    public UtcDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "An ISO-8601 date and time with an offset; served in UTC with milliseconds.";
    }

    /// <inheritdoc />
    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => instant.UtcDateTime.ToString(OutputFormat, CultureInfo.InvariantCulture),
        DateTime dateTime => DateTime.SpecifyKind(dateTime, DateTimeKind.Utc).ToString(OutputFormat, CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

    /// <inheritdoc />
    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue text => Parse((string)text.Value),
        _ => ThrowLiteralConversionError(value),
    };

    /// <inheritdoc />
    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text => Parse(text),
        DateTimeOffset instant => instant,
        _ => ThrowValueConversionError(value),
    };

    private static DateTimeOffset Parse(string text)
    {
        // An explicit offset is required: "2024-01-01T00:00:00" would otherwise mean a
        // different instant on every server.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            throw new FormatException($"'{Truncate(text)}' is not an ISO-8601 date-time with an offset, e.g. 2024-05-01T00:00:00Z.");
        }

        return instant.ToUniversalTime();
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
