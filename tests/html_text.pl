# The text of an HTML page as a browser copies it (select all, copy): table
# cells TAB-separated, one table row a line, one paragraph a line.  Used on
# the DOM Chromium dumps, to read a rendered page back.
undef $/;
$_ = <STDIN>;
s/<(head|style|script)\b.*?<\/\1>//gis;
s/>\s+</></g;
s/<\/t[dh]>(?=<t[dh][\s>])/\t/gi;
s/<\/(p|h[1-6]|tr|div|table|caption|li|article)>/\n/gi;
s/<br\s*\/?>/\n/gi;
s/<[^>]*>//g;
s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'/g; s/&nbsp;/ /g; s/&amp;/&/g;
print;
