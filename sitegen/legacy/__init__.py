"""`sitegen import`: legacy CMS pages (plain-text exports, saved HTML, wget mirrors) into folder articles.

The stages mirror the build's: find the pages (sources), read each into a `Page`
(text.py for text exports, html/ for saved HTML), write it as a folder article
(write.py), then the report and the redirect map of old URLs to new ones.
"""
