using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace VisionOneOnboarding
{
    /// <summary>
    /// A list property of the module's output that reads as text wherever PowerShell turns a value into text —
    /// Export-Csv, ConvertTo-Csv, "$($state.Thumbprints)" — its items joined by "; " (an array would be written as
    /// "System.String[]"), and stays a list everywhere else: the pipeline, indexing, -contains, ConvertTo-Json.
    /// </summary>
    public sealed class TextList<T> : Collection<T>
    {
        public TextList() { }

        public TextList(IEnumerable<T> items) : base(new List<T>(items)) { }

        public void AddRange(IEnumerable<T> items)
        {
            foreach (var item in items) Add(item);
        }

        public override string ToString() => string.Join("; ", this);
    }
}
