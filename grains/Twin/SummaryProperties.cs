using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The read-only <see cref="Model.EntitySummary.Properties"/> of one entity: a handful of entries kept as one array of
/// alternating keys and values, in insertion order. Every live entity holds one, so this is about 80 B where a
/// Dictionary with its buckets and entries is 250-450 B; lookups compare at most a few keys. Never changed once built,
/// so Orleans passes it by reference within a silo and serialises the array between silos.
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed class SummaryProperties : IReadOnlyDictionary<string, object>
{
    // Boxes of the small integers summaries carry (floors, counts, columns): shared, so an int property costs no box.
    private static readonly object[] SmallIntegers = CreateSmallIntegers(1024);

    [Id(0)]
    private readonly object[] _entries;

    private SummaryProperties(object[] entries) => _entries = entries;

    /// <inheritdoc />
    public int Count => _entries.Length / 2;

    /// <inheritdoc />
    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _entries.Length; i += 2)
            {
                yield return (string)_entries[i];
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<object> Values
    {
        get
        {
            for (int i = 1; i < _entries.Length; i += 2)
            {
                yield return _entries[i];
            }
        }
    }

    /// <inheritdoc />
    public object this[string key] => TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"The property '{key}' is not present.");

    /// <summary>A boxed <paramref name="value"/>, shared for small integers.</summary>
    public static object Box(int value) => (uint)value < (uint)SmallIntegers.Length ? SmallIntegers[value] : value;

    /// <inheritdoc />
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _entries[i + 1] : null;
        return i >= 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (int i = 0; i < _entries.Length; i += 2)
        {
            yield return new KeyValuePair<string, object>((string)_entries[i], _entries[i + 1]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (int i = 0; i < _entries.Length; i += 2)
        {
            if (string.Equals((string)_entries[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static object[] CreateSmallIntegers(int count)
    {
        var boxes = new object[count];
        for (int i = 0; i < count; i++)
        {
            boxes[i] = i;
        }

        return boxes;
    }

    /// <summary>Collects entries (at most the capacity given) and builds the properties with an exact-size array.</summary>
    public struct Builder(int capacity)
    {
        private readonly object[] _buffer = new object[capacity * 2];
        private int _length;

        /// <summary>Adds an entry; a key must be added once only.</summary>
        public void Add(string key, object value)
        {
            _buffer[_length++] = key;
            _buffer[_length++] = value;
        }

        /// <summary>Adds an integer entry (small integers share their box).</summary>
        public void Add(string key, int value) => Add(key, Box(value));

        /// <summary>The properties added so far.</summary>
        public readonly SummaryProperties Build() => new(_length == _buffer.Length ? _buffer : _buffer[.._length]);
    }
}
