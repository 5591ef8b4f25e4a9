"""HTML views of agreements: the list and page of each (``agreements``), their budget lines
and fundings (``funding``), costs (``costs``) and documents (``documents``)."""
