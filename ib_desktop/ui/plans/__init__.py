"""The plan screens: the korte-interventie and groeidocument editors and the evaluations.

``window`` is the base both editors share (saving, status, history, printing) and ``fields``
the small form helpers they and the evaluation form use; ``evaluations`` is the Evaluaties page,
``evaluation_dialog`` the form for one evaluation moment and ``evaluation_form_import`` the
fillable PDF forms made and read back.
"""
