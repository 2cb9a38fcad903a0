-- The 20 most frequent words of the Spark word count ($INPUT: word,count CSV files) into $OUTPUT.
counts = LOAD '$INPUT' USING PigStorage(',') AS (word:chararray, n:long);
ranked = ORDER counts BY n DESC, word ASC;
top = LIMIT ranked 20;
STORE top INTO '$OUTPUT' USING PigStorage(',');
