"""Counts the words of the text files under argv[1] and writes `word,count` CSV files to argv[2]."""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("synergy-flow word count").getOrCreate()
    words = (
        spark.read.text(source)
        .select(F.explode(F.split(F.lower(F.col("value")), r"[^a-z']+")).alias("word"))
        .where(F.length("word") > 0)
    )
    words.groupBy("word").count().write.mode("overwrite").csv(target)
    spark.stop()
